import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { functionUrlEvent, functionUrlResponse, passedAsText } from '../../../sandbox/lambda/function-url-event.ts';
import { type FunctionUrlServers, functionUrlKeys, startFunctionUrls } from '../../../sandbox/lambda/function-urls.ts';
import { lambdaFunctions } from '../../../sandbox/lambda/functions.ts';
import { LambdaInvoker } from '../../../sandbox/lambda/invoker.ts';
import type { ServerlessConfig } from '../../../sandbox/serverless-config.ts';

// Lambda function URLs as the sandbox serves them: the payload-format-2.0
// event a handler receives, and the HTTP answer its result becomes.

const identity = { urlId: 'abcdefghijklmnopqrstuvwxyz012345', region: 'us-east-1' };

describe('the event a function URL hands its function', () => {
  it('passes a form body (Slack) as base64 and a JSON body (GitHub) as text', () => {
    const form = functionUrlEvent(
      {
        method: 'post',
        url: '/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'text=approve+r1',
      },
      identity,
    );
    expect(form.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body ?? '', 'base64').toString()).toBe('text=approve+r1');
    expect(form.requestContext.http.method).toBe('POST');

    const json = functionUrlEvent(
      { method: 'POST', url: '/', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":1}' },
      identity,
    );
    expect(json).toMatchObject({ isBase64Encoded: false, body: '{"a":1}' });
    expect(passedAsText('application/vnd.github+json')).toBe(true);
    expect(passedAsText('application/octet-stream')).toBe(false);
    expect(passedAsText(undefined)).toBe(false);
  });

  it('lower-cases headers, joins repeated ones, splits cookies and reads the query', () => {
    const event = functionUrlEvent(
      {
        method: 'GET',
        url: '/hooks/x?a=1&a=2&b=',
        headers: { 'X-Hub-Signature-256': 'sha256=00', Accept: ['a/b', 'c/d'], Cookie: 'k=v; m=n' },
      },
      identity,
      new Date('2026-12-02T01:02:03Z'),
    );
    expect(event.headers).toEqual({
      'x-hub-signature-256': 'sha256=00',
      accept: 'a/b,c/d',
      host: `${identity.urlId}.lambda-url.us-east-1.on.aws`,
    });
    expect(event.cookies).toEqual(['k=v', 'm=n']);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/hooks/x',
      rawQueryString: 'a=1&a=2&b=',
      queryStringParameters: { a: '1,2', b: '' },
      isBase64Encoded: false,
    });
    expect(event.body).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      accountId: 'anonymous',
      apiId: identity.urlId,
      time: '02/Dec/2026:01:02:03 +0000',
      timeEpoch: Date.parse('2026-12-02T01:02:03Z'),
    });
  });
});

describe('the answer a function result becomes', () => {
  it('reads a result with statusCode as the response', () => {
    const reply = functionUrlResponse({
      statusCode: 401,
      headers: { 'Content-Type': 'text/plain' },
      body: 'no',
      cookies: ['a=b'],
    });
    expect(reply).toMatchObject({ status: 401, headers: { 'content-type': 'text/plain' }, cookies: ['a=b'] });
    expect(reply.body.toString()).toBe('no');
    expect(functionUrlResponse({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }).body.toString()).toBe('hi');
  });

  it('sends any other result as JSON with status 200', () => {
    const reply = functionUrlResponse({ ok: true });
    expect(reply).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(reply.body.toString()).toBe('{"ok":true}');
  });
});

describe('function URL servers', () => {
  const config: ServerlessConfig = {
    service: 'svc',
    provider: { stage: 'dev', timeout: 3 },
    functions: {
      hook: { handler: 'functions/hook/handler.handler', url: true },
      plain: { handler: 'functions/plain/handler.handler' },
      failing: { handler: 'functions/failing/handler.handler', url: { authType: 'NONE' } },
    },
    stepFunctions: { stateMachines: {} },
    resources: { Resources: {} },
  };
  const seen: APIGatewayProxyEventV2[] = [];
  const invoker = new LambdaInvoker({
    functions: lambdaFunctions(config, { accountId: '000000000000', region: 'us-east-1' }),
    handlers: {
      hook: async (event) => {
        seen.push(event as APIGatewayProxyEventV2);
        return { statusCode: 202, headers: { 'x-answer': 'yes' }, body: 'accepted' };
      },
      plain: async () => null,
      failing: async () => {
        throw new Error('boom: a detail the caller must not see');
      },
    },
  });
  let servers: FunctionUrlServers;
  const lines: string[] = [];
  beforeAll(async () => {
    servers = await startFunctionUrls({
      config,
      invoker,
      region: 'us-east-1',
      basePort: 0,
      print: (l) => lines.push(l),
    });
  });
  afterAll(() => servers.close());

  it('serves only the functions that have url:', () => {
    expect(functionUrlKeys(config)).toEqual(['hook', 'failing']);
    expect(Object.keys(servers.urls)).toEqual(['hook', 'failing']);
    expect(servers.urls.hook).not.toBe(servers.urls.failing);
  });

  it('runs a request through the function and answers with its result', async () => {
    const response = await fetch(`${servers.urls.hook}path?q=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(await response.text()).toBe('accepted');
    const event = seen.at(-1);
    expect(event?.rawPath).toBe('/path');
    expect(event?.isBase64Encoded).toBe(true);
    expect(Buffer.from(event?.body ?? '', 'base64').toString()).toBe('a=1&b=2');
    expect(lines).toContain('⇠ POST hook function URL → 202');
  });

  it('answers 502 without the reason when the function fails', async () => {
    const response = await fetch(servers.urls.failing ?? '', { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    expect(await response.text()).toBe('Internal Server Error');
  });

  it("refuses a body over Lambda's 6 MB synchronous payload limit with 413", async () => {
    const before = seen.length;
    const response = await fetch(servers.urls.hook ?? '', { method: 'POST', body: Buffer.alloc(6_291_457, 97) });
    expect(response.status).toBe(413);
    expect(seen).toHaveLength(before);
  });
});
