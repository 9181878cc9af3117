import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

// One logger per cold start, configured by the standard POWERTOOLS_* variables
// that serverless.yml sets for every function. Tracing is Lambda's own active
// tracing (serverless.yml `tracing`): Powertools' Tracer would add the X-Ray
// SDK, about 115 KB, to every bundle against a 1 MB budget. Metrics live with
// the one function that publishes them (finish), out of the others' cold start.
export const logger = new Logger();

/**
 * Logs a failing invocation once, by error name, and rethrows it untouched so
 * Step Functions sees that name. Only the message is logged, never the event.
 */
export const logFailure = (): MiddlewareObj => ({
  onError: async (request) => {
    const error = request.error;
    if (error) logger.error('invocation failed', { errorName: error.name, errorMessage: error.message });
  },
});

/** Wraps a function handler in the project's middleware stack. */
export function lambdaHandler<TEvent, TResult>(fn: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy<TEvent, TResult, Error, Context>(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logFailure());
}
