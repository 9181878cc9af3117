import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from '@jest/globals';
import middy from '@middy/core';
import { TransientError } from '../../../src/platform/errors.ts';
import { retryWhileInProgress } from '../../../src/platform/retry-in-progress.ts';

// The idempotency store's failures become TransientError, which the state machines' Retry
// takes; any other error passes through untouched, its name kept for the Catch.

const named = (name: string) => Object.assign(new Error(`${name} happened`), { name });
const failingWith = (error: Error) =>
  middy(async () => {
    throw error;
  }).use(retryWhileInProgress(new Logger({ logLevel: 'SILENT' })));

describe('retryWhileInProgress', () => {
  it.each(['IdempotencyAlreadyInProgressError', 'IdempotencyPersistenceLayerError'])(
    'turns %s into a TransientError that keeps it as the cause',
    async (name) => {
      const error = named(name);
      const thrown = await failingWith(error)({}, {} as never).catch((caught: unknown) => caught);
      expect(thrown).toBeInstanceOf(TransientError);
      expect((thrown as TransientError).cause).toBe(error);
    },
  );

  it('lets any other error through as it was', async () => {
    const error = named('DeploymentFailedError');
    await expect(failingWith(error)({}, {} as never)).rejects.toBe(error);
  });
});
