import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../../../functions/plan/handler.ts';
import { InvalidInputError } from '../../../src/platform/errors.ts';
import type { PlanResult } from '../../../src/release/release.ts';
import { fakeLambdaContext, useFunctionEnvironment, wiredHandler } from '../../support/fake-lambda-context.ts';
import { answerFromFixtures } from '../../support/plan-ports.ts';

useFunctionEnvironment();
const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);
const stsMock = mockClient(STSClient);
const event = (variant: string): unknown => JSON.parse(readFileSync(`events/aws.ecr/${variant}.json`, 'utf8'));

const handler = wiredHandler<PlanResult>(wire);

beforeEach(() => {
  answerFromFixtures(ecsMock, ecrMock);
  const Expiration = new Date(Date.now() + 3_600_000);
  stsMock.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'ASIATOOLS', SecretAccessKey: 'tools-secret', SessionToken: 'tools-token', Expiration },
  });
});

afterEach(() => {
  ecsMock.reset();
  ecrMock.reset();
  stsMock.reset();
  jest.restoreAllMocks();
});

describe('plan handler', () => {
  it('plans the catalog release of a pushed image', async () => {
    // config/catalog.yml releases demo/web of the tools account's ECR to web/staging, read through its role there.
    const pushed = { ...(event('push') as Record<string, unknown>), account: '333333333333' };
    const result = await handler(pushed, fakeLambdaContext('plan'));
    expect(result.releases.map((release) => [release.releaseId, release.image.uri])).toContainEqual([
      'web-staging-sha256-7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/web@sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd',
    ]);
    // Read in the tools account's registry (the client signs as its role there: test/unit/functions/target-accounts.test.ts).
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0]?.args[0].input.registryId).toBe('333333333333');
    // Its scan gate (no CRITICAL, no HIGH) read the image's findings.
    expect(result.releases[0]?.scan).toEqual({
      status: 'COMPLETE',
      severityCounts: { MEDIUM: 1, LOW: 2 },
      counted: { critical: 0, high: 0 },
    });
  });

  it('refuses a repository outside the catalog and says so in the log', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const result = await handler(event('push-unknown-repository'), fakeLambdaContext('plan'));
    expect(result).toEqual({
      releases: [],
      refusedTargets: [],
      refused: 'repository someone/else is not in the service catalog',
    });
    expect(warn).toHaveBeenCalledWith('nothing to release', {
      eventId: '4f8a21c0-5b9e-4d1a-8c3f-2b7e9d6a1f04',
      account: '123456789012',
      repository: 'someone/else',
      tag: 'latest',
      reason: 'repository someone/else is not in the service catalog',
    });
  });

  it('refuses a push from an account the catalog does not name, and logs it with the account', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const result = await handler({ ...(event('push') as object), account: '444444444444' }, fakeLambdaContext('plan'));
    const reason = 'account 444444444444 is not named in the catalog: a push there releases nothing';
    expect(result.refused).toBe(reason);
    expect(warn).toHaveBeenCalledWith('nothing to release', {
      eventId: '13cde686-328b-6117-af20-0e5566167482',
      account: '444444444444',
      repository: 'demo/web',
      tag: 'v2',
      reason,
    });
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('rejects a failed push with InvalidInputError, touching nothing', async () => {
    await expect(handler(event('push-failed'), fakeLambdaContext('plan'))).rejects.toThrow(InvalidInputError);
    expect(ecsMock.calls()).toHaveLength(0);
    expect(ecrMock.calls()).toHaveLength(0);
  });
});
