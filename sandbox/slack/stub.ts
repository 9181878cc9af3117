// The Slack Web API stub on loopback: `https://slack.com/api/<method>` becomes
// `http://127.0.0.1:<port>/api/<method>`. It reads calls the way Slack does
// (form-encoded or JSON, the token as a Bearer header or a `token` field).
// Tests use it too: it keeps every call, and a test can script the answers.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SlackMessage, SlackWorkspace } from './workspace.ts';

export interface SlackStubOptions {
  port: number;
  token: string;
  /** Where posted messages are shown (the sandbox's terminal); nothing is printed without it. */
  print?: (line: string) => void;
}

/** One Web API call the stub received, decoded. */
export interface SlackCall {
  method: string;
  /** The bearer token of the call (from the Authorization header or the `token` field). */
  token?: string;
  args: Record<string, unknown>;
  /** The JSON the stub answered with; absent when it answered with a bare HTTP status (an outage). */
  answer?: Record<string, unknown>;
}

/** A scripted answer to a call: a Slack JSON body, or an HTTP status with headers. */
export type SlackReply = { body: Record<string, unknown> } | { status: number; headers?: Record<string, string> };

export interface SlackStub {
  /** The value for @slack/web-api's `slackApiUrl` (and the functions' SLACK_API_URL), ending in `/api/`. */
  readonly apiUrl: string;
  readonly port: number;
  /** Every message posted so far, with edits applied. */
  messages(): SlackMessage[];
  /** Makes `groupId` a user group (usergroups.users.list answers its members). */
  setGroup(groupId: string, members: readonly string[]): void;
  /** Simulates an outage: every call answers this HTTP status until called with undefined. */
  outage(status: number | undefined): void;
  /** Every call received, in order (a test may empty it). */
  readonly calls: SlackCall[];
  /** Answers every later call with `reply` instead of the workspace (a Slack error, a rate limit); undefined gives it back. */
  script(reply: ((call: SlackCall, index: number) => SlackReply) | undefined): void;
  close(): Promise<void>;
}

export async function startSlackStub(options: SlackStubOptions): Promise<SlackStub> {
  const workspace = new SlackWorkspace(options.token, options.print ?? (() => undefined));
  const calls: SlackCall[] = [];
  let scripted: ((call: SlackCall, index: number) => SlackReply) | undefined;
  const fromWorkspace = ({ method, token, args }: SlackCall): SlackReply => ({
    body: method ? workspace.call(method, token, args) : { ok: false, error: 'unknown_method' },
  });

  const server = createServer((request, response) => {
    readCall(request)
      .then((call) => {
        calls.push(call);
        const reply = (scripted ?? fromWorkspace)(call, calls.length - 1);
        if ('status' in reply) {
          response.writeHead(reply.status, reply.headers).end();
          return;
        }
        call.answer = reply.body;
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
      })
      .catch(() => {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"invalid_form_data"}');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    port,
    messages: () => workspace.messages(),
    setGroup: (groupId, members) => workspace.setGroup(groupId, members),
    outage(status) {
      scripted = status === undefined ? undefined : () => ({ status });
    },
    calls,
    script(reply) {
      scripted = reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readCall(request: IncomingMessage): Promise<SlackCall> {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  const url = new URL(request.url ?? '/', 'http://slack');
  const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
  const args: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) args[key] = decodeField(value);
  if ((request.headers['content-type'] ?? '').includes('json')) {
    Object.assign(args, JSON.parse(raw || '{}') as Record<string, unknown>);
  } else {
    for (const [key, value] of new URLSearchParams(raw)) args[key] = decodeField(value);
  }
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  return { method: method ?? '', ...(token ? { token } : {}), args };
}

/** The WebClient sends objects (blocks, attachments) as JSON inside form fields, booleans as text. */
function decodeField(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (value.startsWith('[') || value.startsWith('{')) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}
