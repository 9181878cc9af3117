import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Env, loadConfig } from './config.ts';

// One logger per function, named after it (serverless.yml's key), so each
// function logs as itself wherever several share a process (the sandbox,
// tests). Its level and the metrics' settings are the standard POWERTOOLS_*
// variables of the function's own environment, passed as constructor options:
// Powertools would read process.env, which sandboxes in one process share.
// Tracing is Lambda's own active tracing (serverless.yml `tracing`):
// Powertools' Tracer would add the X-Ray SDK, about 115 KB, to every bundle
// against a 1 MB budget. Metrics live with the one function that publishes
// them (finish), out of the others' cold start.

/** The logger of the function serverless.yml names `serviceName`, at the level its environment `env` sets. */
export function functionLogger(serviceName: string, env: Env): Logger {
  const { logLevel } = loadConfig(env, ['logLevel']);
  return new Logger({ serviceName, ...(logLevel === undefined ? {} : { logLevel }) });
}

/**
 * The function's CloudWatch metrics (EMF) in the namespace its environment sets, or
 * undefined when POWERTOOLS_METRICS_DISABLED turns them off (Metrics takes that only from process.env).
 */
export function functionMetrics(serviceName: string, env: Env): Metrics | undefined {
  const { metricsNamespace, metricsDisabled } = loadConfig(env, ['metricsNamespace', 'metricsDisabled']);
  if (metricsDisabled === true) return undefined;
  return new Metrics({ serviceName, ...(metricsNamespace === undefined ? {} : { namespace: metricsNamespace }) });
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
