import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { TransientError } from './errors.ts';

/**
 * For a handler made idempotent with `makeHandlerIdempotent`, used after it:
 * a duplicate that arrives while the first invocation still runs fails with
 * TransientError, so the state machine's Retry comes back later for the stored
 * result. It also ends the error chain before the idempotency middleware's
 * onError, which in Powertools 2.35 deletes the record the first invocation
 * holds (aws-powertools/powertools-lambda-typescript#5675); Powertools' own
 * middlewares are flushed first, as they document for early exits.
 */
export const retryWhileInProgress = (logger: Logger): MiddlewareObj => ({
  onError: async (request) => {
    const error = request.error;
    if (error?.name !== 'IdempotencyAlreadyInProgressError') return;
    logger.warn('the same request is already being handled; asking Step Functions to retry', {
      errorMessage: error.message,
    });
    await cleanupMiddlewares(request);
    throw new TransientError('another invocation is handling this request; retry for its result', { cause: error });
  },
});
