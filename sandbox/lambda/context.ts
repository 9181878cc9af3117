import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { LambdaFunction } from './functions.ts';

/**
 * The context object Lambda's Node.js runtime passes with each invocation:
 * same names, same log group and stream shapes, and a remaining time counted
 * down from the function's timeout (which the sandbox enforces too).
 */
export function lambdaContext(fn: LambdaFunction, requestId: string = randomUUID(), startedAt = Date.now()): Context {
  const deadline = startedAt + fn.timeoutSeconds * 1000;
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '/');
  // The callback-era methods are gone from the nodejs24.x runtime; calling one is a bug in the handler.
  const removed = (method: string) => () => {
    throw new Error(`context.${method}() is not available in the nodejs24.x runtime; return or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: removed('done'),
    fail: removed('fail'),
    succeed: removed('succeed'),
  };
}
