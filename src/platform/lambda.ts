import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

// One logger per function, named after it (serverless.yml's key), so each
// function logs as itself wherever several share a process (the sandbox,
// tests); the other settings come from the standard POWERTOOLS_* variables.
// Tracing is Lambda's own active tracing (serverless.yml `tracing`):
// Powertools' Tracer would add the X-Ray SDK, about 115 KB, to every bundle
// against a 1 MB budget. Metrics live with the one function that publishes
// them (finish), out of the others' cold start.

/** The logger of the function serverless.yml names `serviceName`. */
export function functionLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/**
 * Logs a failing invocation once, by error name, and rethrows it untouched so
 * Step Functions sees that name. Only the message is logged, never the event.
 */
export const logFailure = (logger: Logger): MiddlewareObj => ({
  onError: async (request) => {
    const error = request.error;
    if (error) logger.error('invocation failed', { errorName: error.name, errorMessage: error.message });
  },
});

/** Wraps a function handler in the project's middleware stack, logging with the function's `logger`. */
export function lambdaHandler<TEvent, TResult>(
  logger: Logger,
  fn: (event: TEvent, context: Context) => Promise<TResult>,
) {
  return middy<TEvent, TResult, Error, Context>(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logFailure(logger));
}

/** What every function's factory takes besides its ports: the function's own logger. */
export interface Logged {
  logger: Logger;
}
