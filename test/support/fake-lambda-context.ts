import type { Context } from 'aws-lambda';
import type { Wiring } from '../../src/platform/wiring.ts';

/** A Lambda context for calling a handler in-process, `timeoutSeconds` from its deadline. */
export function fakeLambdaContext(functionName: string, timeoutSeconds = 30): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: '8f5c2e1a-0000-4000-8000-000000000000',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/21/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The environment every function has in AWS, quiet and untraced for tests; set before importing a handler. */
export function useFunctionEnvironment(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    POWERTOOLS_SERVICE_NAME: 'release-automation',
    POWERTOOLS_METRICS_NAMESPACE: 'ReleaseAutomation',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
  });
}

/** What every function's environment says of where the automation lives (AUTOMATION_ACCOUNT, and Lambda's AWS_REGION): the fixtures' account. */
export const FUNCTION_HOME = { AUTOMATION_ACCOUNT: '123456789012', AWS_REGION: 'us-east-1' };

/** A function's handler wired as the sandbox wires it: its own configuration, nothing set on process.env for it. */

export function wiredHandler<Result>(
  wire: (wiring: Wiring) => unknown,
): (event: unknown, context: Context) => Promise<Result> {
  return wire({ env: FUNCTION_HOME, aws: { region: 'us-east-1' } }) as (
    event: unknown,
    context: Context,
  ) => Promise<Result>;
}
