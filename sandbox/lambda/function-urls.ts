// Lambda function URLs on loopback: every function that serverless.yml gives
// `url:` gets its own HTTP server, as each function URL has its own host in
// AWS. A request becomes the payload-format-2.0 event Lambda builds, runs
// through the same invoker as every other invocation (timeout, payload limit),
// and the result becomes the answer Lambda would send.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LAMBDA_PAYLOAD_LIMIT_BYTES } from '../aws/payload-limits.ts';
import type { ServerlessConfig } from '../serverless-config.ts';
import { functionUrlEvent, functionUrlResponse } from './function-url-event.ts';
import type { LambdaInvoker } from './invoker.ts';

/** The first function URL's port; the next ones follow in serverless.yml's order. */
export const DEFAULT_FUNCTION_URL_PORT = 4590;

export interface FunctionUrlServersOptions {
  config: ServerlessConfig;
  invoker: LambdaInvoker;
  region: string;
  /** The first port (the others follow); 0 gives every function URL a free port. */
  basePort: number;
  print: (line: string) => void;
}

export interface FunctionUrlServers {
  /** `http://127.0.0.1:<port>/` by function key. */
  readonly urls: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** The keys of serverless.yml's functions that have a function URL, in file order. */
export function functionUrlKeys(config: ServerlessConfig): string[] {
  return Object.entries(config.functions)
    .filter(([, fn]) => fn.url !== undefined && fn.url !== false)
    .map(([key]) => key);
}

/** Starts one server per function URL on 127.0.0.1; resolves once all listen. */
export async function startFunctionUrls(options: FunctionUrlServersOptions): Promise<FunctionUrlServers> {
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  const close = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
  try {
    for (const [index, key] of functionUrlKeys(options.config).entries()) {
      const fn = options.invoker.functions.get(key);
      if (!fn) continue;
      const identity = { urlId: urlId(fn.name), region: options.region };
      const server = createServer((request, response) => {
        answer(request)
          .then((reply) => {
            options.print(`⇠ ${request.method} ${key} function URL → ${reply.status}`);
            response.writeHead(reply.status, {
              ...reply.headers,
              ...(reply.cookies.length > 0 ? { 'set-cookie': reply.cookies } : {}),
            });
            response.end(reply.body);
          })
          .catch(() => {
            if (!response.headersSent) response.writeHead(502).end('Internal Server Error');
          });
      });
      const answer = async (request: IncomingMessage) => {
        const body = await readBody(request);
        if (body === undefined) {
          return jsonReply(413, {
            Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
          });
        }
        const event = functionUrlEvent(
          {
            method: request.method ?? 'GET',
            url: request.url ?? '/',
            headers: request.headers,
            body,
            ...(request.socket.remoteAddress ? { sourceIp: request.socket.remoteAddress } : {}),
          },
          identity,
        );
        try {
          return functionUrlResponse(await options.invoker.invoke(key, event));
        } catch {
          // A failed or timed-out invocation: the caller learns nothing about why, as from Lambda.
          return {
            status: 502,
            headers: { 'content-type': 'text/plain' },
            cookies: [],
            body: Buffer.from('Internal Server Error'),
          };
        }
      };
      servers.push(server);
      const port = options.basePort === 0 ? 0 : options.basePort + index;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      urls[key] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { urls, close };
}

/** A stable 32-character id per function name, like the ids Lambda gives function URLs. */
function urlId(functionName: string): string {
  const digest = createHash('sha256').update(functionName).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 32), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** The whole body, or undefined once it passes Lambda's synchronous payload limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      request.resume();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function jsonReply(status: number, body: unknown) {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(JSON.stringify(body)),
  };
}
