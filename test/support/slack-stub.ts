import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call the stub received, decoded. */
export interface SlackCall {
  method: string;
  /** The bearer token of the call (from the Authorization header or the `token` field). */
  token?: string;
  args: Record<string, unknown>;
}

/** How the stub answers a call: a Slack JSON body, or an HTTP status with headers. */
export type SlackReply = { body: Record<string, unknown> } | { status: number; headers?: Record<string, string> };

/** A Slack Web API on loopback that records calls; `slackApiUrl` goes to the WebClient. */
export interface SlackStub {
  slackApiUrl: string;
  calls: SlackCall[];
  /** Replaces the answer to every later call (default: chat.postMessage succeeds in C0RELEASES). */
  reply(answer: (call: SlackCall, index: number) => SlackReply): void;
  stop(): Promise<void>;
}

/** Starts a Slack Web API stub on 127.0.0.1 on a free port. */
export async function startSlackStub(): Promise<SlackStub> {
  const calls: SlackCall[] = [];
  let answer = (_call: SlackCall, index: number): SlackReply => ({
    body: { ok: true, channel: 'C0RELEASES', ts: `1790000000.${String(index + 1).padStart(6, '0')}` },
  });
  const server: Server = createServer(async (request, response) => {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const args: Record<string, unknown> = {};
    if ((request.headers['content-type'] ?? '').includes('json')) Object.assign(args, JSON.parse(raw || '{}'));
    else for (const [key, value] of new URLSearchParams(raw)) args[key] = decodeField(value);
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const call: SlackCall = { method: (request.url ?? '').replace(/^\/api\//, ''), args, ...(token ? { token } : {}) };
    calls.push(call);
    const reply = answer(call, calls.length - 1);
    if ('body' in reply) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    } else {
      response.writeHead(reply.status, reply.headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    calls,
    reply(next) {
      answer = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The WebClient sends objects (blocks) as JSON inside form fields, booleans as text.
function decodeField(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (value.startsWith('[') || value.startsWith('{')) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}
