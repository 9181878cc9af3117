// The sandbox's one AWS-compatible endpoint. It decodes each request in the
// wire protocol its client used (JSON 1.0/1.1 routed by X-Amz-Target, Query
// routed by the SigV4 credential scope), hands the operation to the emulator
// of that service with the request's context (the account and region it acts
// in, and its caller: request-context.ts), and answers in the same protocol. Nothing a client sends
// crashes it: every failure is an AWS error shape.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonContentType, jsonErrorBody, parseJsonInput, parseTarget, toJsonWire } from './json-protocol.ts';
import { type AwsLocation, defaultLocation } from './location.ts';
import {
  decodeQueryInput,
  encodeQueryError,
  encodeQueryOutput,
  queryErrorCode,
  queryNamespace,
  queryOperation,
} from './query-protocol.ts';
import { type RequestContext, requestContext, type SessionLookup } from './request-context.ts';
import { AnswerLostError, AwsApiError, type AwsServiceEmulator } from './service.ts';
import { type CredentialScope, credentialScope, presignedScope } from './sigv4.ts';

export interface AwsEndpointOptions {
  emulators: readonly AwsServiceEmulator[];
  /** 0 picks a free port. */
  port: number;
  /** Where internal errors (bugs in an emulator) are reported; they reach the client as InternalFailure. */
  log?: (message: string) => void;
  /** The sandbox's own HTTP APIs beside AWS's, by path (e.g. `/_sandbox/faults`). */
  routes?: Readonly<Record<string, EndpointRoute>>;
  /** The account of keys that name none, and the region of unsigned requests; default 000000000000, us-east-1. */
  home?: AwsLocation;
  /** The callers of the temporary credentials the sandbox's STS issued. */
  sessions?: SessionLookup;
}

/** One of the sandbox's own JSON APIs on the endpoint: the method and raw body in, a status and JSON out. */
export type EndpointRoute = (method: string, body: string) => Promise<{ status: number; body: unknown }>;

export interface AwsEndpoint {
  /** e.g. `http://127.0.0.1:4566`, the value for `--endpoint-url` and `AWS_ENDPOINT_URL`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Starts the endpoint on 127.0.0.1; resolves once it listens. */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const byTarget = new Map(options.emulators.map((emulator) => [emulator.targetPrefix, emulator]));
  const bySigningName = new Map(options.emulators.map((emulator) => [emulator.signingName, emulator]));
  const log = options.log ?? ((message: string) => console.error(message));
  const home = options.home ?? defaultLocation;
  const contextOf = (req: IncomingMessage, scope: CredentialScope | undefined): RequestContext => {
    const token =
      req.headers['x-amz-security-token'] ??
      new URL(req.url ?? '/', 'http://sandbox').searchParams.get('X-Amz-Security-Token');
    return requestContext(scope, home, {
      ...(typeof token === 'string' ? { sessionToken: token } : {}),
      ...(options.sessions ? { sessions: options.sessions } : {}),
    });
  };

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    route(req, res, requestId).catch((error: unknown) => {
      // Only a failure to write the answer gets here (e.g. the client went away).
      log(`sandbox endpoint: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const own = options.routes?.[url.pathname];
    if (own) {
      const answer = await own(req.method ?? 'GET', body);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') return serveJson(req, res, target, body);
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('application/x-www-form-urlencoded') || url.searchParams.has('Action')) {
      const params = new URLSearchParams(body);
      for (const [key, value] of url.searchParams) params.append(key, value);
      return serveQuery(req, res, params, requestId);
    }
    const error = new AwsApiError(
      'UnknownOperationException',
      'The sandbox endpoint speaks AWS JSON 1.0/1.1 (X-Amz-Target) and AWS Query (Action=...); point an AWS SDK or the AWS CLI at it',
      404,
    );
    sendJsonError(res, error, 'application/x-amz-json-1.1');
  }

  async function serveJson(req: IncomingMessage, res: ServerResponse, header: string, body: string): Promise<void> {
    const contentType = jsonContentType(req.headers['content-type']);
    const queryCompatible = req.headers['x-amzn-query-mode'] === 'true';
    let signingName: string | undefined;
    try {
      const target = parseTarget(header);
      const emulator = target && byTarget.get(target.prefix);
      if (!target || !emulator) {
        throw new AwsApiError('UnknownOperationException', `The sandbox does not emulate the service of ${header}`);
      }
      signingName = emulator.signingName;
      const context = contextOf(req, credentialScope(req.headers.authorization));
      const result = await emulator.handle(target.operation, parseJsonInput(body), context);
      res.writeHead(200, { 'content-type': contentType }).end(JSON.stringify(toJsonWire(result ?? {})));
    } catch (error) {
      if (error instanceof AnswerLostError) return loseAnswer(res);
      const awsError = asAwsError(error, log);
      // Clients of services that moved from Query to JSON read the Query error code from a header.
      const queryCode = queryCompatible ? await queryErrorCode(signingName, awsError.code) : undefined;
      sendJsonError(res, awsError, contentType, queryCode);
    }
  }

  async function serveQuery(
    req: IncomingMessage,
    res: ServerResponse,
    params: URLSearchParams,
    requestId: string,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const scope =
      credentialScope(req.headers.authorization) ?? presignedScope(url.searchParams.get('X-Amz-Credential'));
    try {
      const action = params.get('Action');
      if (!scope)
        throw new AwsApiError('MissingAuthenticationToken', 'Request is missing a SigV4 Authorization header');
      if (!action) throw new AwsApiError('MissingAction', 'Request is missing the Action parameter');
      const emulator = bySigningName.get(scope.service);
      if (!emulator)
        throw new AwsApiError('InvalidAction', `The sandbox does not emulate the service ${scope.service}`);
      const operation = await queryOperation(scope.service, action);
      const context = contextOf(req, scope);
      const result = await emulator.handle(action, decodeQueryInput(params, operation.input), context);
      res.writeHead(200, { 'content-type': 'text/xml' }).end(encodeQueryOutput(operation, result, requestId));
    } catch (error) {
      if (error instanceof AnswerLostError) return loseAnswer(res);
      const awsError = asAwsError(error, log);
      const code = await queryErrorCode(scope?.service, awsError.code);
      res
        .writeHead(awsError.statusCode, { 'content-type': 'text/xml' })
        .end(encodeQueryError(awsError, code, queryNamespace(scope?.service), requestId));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of SDK clients would hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** The operation took effect, but the client never hears: the connection drops without an answer. */
function loseAnswer(res: ServerResponse): void {
  res.socket?.destroy();
}

function sendJsonError(res: ServerResponse, error: AwsApiError, contentType: string, queryCode?: string): void {
  const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-errortype': error.code };
  if (queryCode) headers['x-amzn-query-error'] = `${queryCode};${error.statusCode >= 500 ? 'Receiver' : 'Sender'}`;
  res.writeHead(error.statusCode, headers).end(jsonErrorBody(error));
}

function asAwsError(error: unknown, log: (message: string) => void): AwsApiError {
  if (error instanceof AwsApiError) return error;
  log(`sandbox endpoint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const message = error instanceof Error ? error.message : String(error);
  return new AwsApiError('InternalFailure', `The sandbox failed to process the request: ${message}`, 500);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
