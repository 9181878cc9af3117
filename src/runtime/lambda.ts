import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

// One logger, metrics and tracer per cold start, configured by the standard
// POWERTOOLS_* variables that serverless.yml sets for every function.
export const logger = new Logger();
export const metrics = new Metrics({ defaultDimensions: {} });
export const tracer = new Tracer();

/** Instruments an AWS SDK v3 client with X-Ray (a no-op when tracing is disabled). */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}

/**
 * Logs a failing invocation once, by error name, and rethrows it untouched so
 * Step Functions sees that name. Only the message is logged, never the event.
 */
const logFailure = (): MiddlewareObj => ({
  onError: async (request) => {
    const error = request.error;
    if (error) logger.error('invocation failed', { errorName: error.name, errorMessage: error.message });
  },
});

/** Wraps a function handler in the project's middleware stack. */
export function lambdaHandler<TEvent, TResult>(fn: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy<TEvent, TResult, Error, Context>(fn)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(logFailure());
}
