import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterEach } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../../functions/canary-check/handler.ts';
import type { CanaryCheckResult } from '../../src/canary/check.ts';
import { fakeLambdaContext, useFunctionEnvironment, wiredHandler } from './fake-lambda-context.ts';

/**
 * canary-check wired as the sandbox wires it over a mocked CloudWatch (reset
 * after each test): `check(input)` invokes it as the state machine does.
 */
export function useCanaryCheck() {
  useFunctionEnvironment();
  const cloudwatch = mockClient(CloudWatchClient);
  afterEach(() => {
    cloudwatch.reset();
  });
  const handler = wiredHandler<CanaryCheckResult>(wire);
  return { cloudwatch, check: (input: unknown) => handler(input, fakeLambdaContext('canaryCheck')) };
}
