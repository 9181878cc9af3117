import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logFailure } from './lambda.ts';

/** A function URL's request (payload format 2.0) and its answer. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/**
 * Wraps a function URL handler: header names in lower case, and an unexpected
 * error answered with a bare 500 whose body says nothing of it (it is logged,
 * by name and message, first). The body is left as it came: a signature is
 * checked over the raw bytes before anything parses them.
 */
export function httpLambdaHandler(logger: Logger, fn: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return (
    middy<HttpEvent, HttpResult, Error, Context>(fn)
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(httpHeaderNormalizer())
      .use(httpErrorHandler({ logger: false, fallbackMessage: 'Internal error' }))
      // Used last, so its onError runs first: it sees the error before the 500 replaces it.
      .use(logFailure(logger))
  );
}

/** The request's body as sent: a function URL base64-encodes a body it does not take for text. */
export function rawBody(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): string {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** A plain-text answer. */
export function textResult(statusCode: number, text: string): HttpResult {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}
