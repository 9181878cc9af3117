import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { TransientError } from './errors.ts';

/**
 * For a handler made idempotent with `makeHandlerIdempotent`, used after it:
 * a duplicate that arrives while the first invocation still runs, or a call
 * whose idempotency store failed, fails with TransientError, so the state
 * machine's Retry comes back later (for the stored result, or to try again). It also ends the error chain before the idempotency middleware's
 * onError, which in Powertools 2.35 deletes the record the first invocation
 * holds (aws-powertools/powertools-lambda-typescript#5675); Powertools' own
 * middlewares are flushed first, as they document for early exits.
 */
export const retryWhileInProgress = (logger: Logger): MiddlewareObj => ({
  onError: async (request) => {
    const error = request.error;
    const retry = error === null || error === undefined ? undefined : RETRIED[error.name];
    if (error === null || error === undefined || retry === undefined) return;
    logger.warn(retry.log, { errorName: error.name, errorMessage: error.message });
    await cleanupMiddlewares(request);
    throw new TransientError(retry.message, { cause: error });
  },
});

// What Step Functions' Retry (TransientError) is asked to try again, and why. The store
// failing (DynamoDB throttling past the SDK's own attempts, when reading, claiming or saving
// a result) is as passing as the service behind it: failing the release on it would end a
// good release FAILED. A retry then finds the record as the failure left it (in progress
// until it expires, or absent) and Powertools acts on that.
const RETRIED: Record<string, { log: string; message: string }> = {
  IdempotencyAlreadyInProgressError: {
    log: 'the same request is already being handled; asking Step Functions to retry',
    message: 'another invocation is handling this request; retry for its result',
  },
  IdempotencyPersistenceLayerError: {
    log: 'the idempotency store failed; asking Step Functions to retry',
    message: 'the idempotency store could not be read or written; retry',
  },
};
