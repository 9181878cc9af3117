import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DashboardSource } from './ports/source.ts';
import { canarySeries, releaseDetail, timeline } from './view.ts';

// The dashboard's HTTP server (node:http, loopback only): one static page, its
// script and stylesheet, uPlot, the JSON endpoints and a Server-Sent Events
// stream that pushes a fresh snapshot whenever what the page shows changes.
//   GET /api/releases              the timeline: releases by service and environment
//   GET /api/releases/<id>         a release: its states with their durations, its analyses
//   GET /api/releases/<id>/canary  canary vs baseline per analysis window, with verdicts
//   GET /api/alarms                CloudWatch alarms and their states
//   GET /api/keys                  the four keys, or why there are none
//   GET /api/stream[?release=<id>] text/event-stream of { releases, release, canary, alarms, keys }

export interface DashboardOptions {
  source: DashboardSource;
  /** 0: a free port. */
  port: number;
  /** How often the stream reads the source again (ms). Default 1000. */
  pollMs?: number;
  /** How many releases the timeline shows. Default 100. */
  limit?: number;
  now?: () => number;
}

export interface Dashboard {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The port is taken (another dashboard, or another program). */
export class DashboardPortBusyError extends Error {
  override name = 'DashboardPortBusyError';
}

const PAGE_DIR = new URL('./page/', import.meta.url);
const UPLOT_DIR = `${createRequire(import.meta.url)
  .resolve('uplot/package.json')
  .replace(/package\.json$/, '')}dist/`;

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: fileURLToPath(new URL('index.html', PAGE_DIR)), type: 'text/html; charset=utf-8' },
  '/app.js': { file: fileURLToPath(new URL('app.js', PAGE_DIR)), type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: fileURLToPath(new URL('dashboard.css', PAGE_DIR)), type: 'text/css; charset=utf-8' },
  '/uplot.js': { file: `${UPLOT_DIR}uPlot.iife.min.js`, type: 'text/javascript; charset=utf-8' },
  '/uplot.css': { file: `${UPLOT_DIR}uPlot.min.css`, type: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Starts the dashboard on 127.0.0.1; rejects with DashboardPortBusyError when the port is taken. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const files = new Map<string, Buffer>();
  for (const [path, { file }] of Object.entries(STATIC)) files.set(path, await readFile(file));
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 100;
  const { source } = options;
  const streams = new Set<ServerResponse>();
  let port = options.port;

  const snapshot = async (releaseId: string | undefined) => {
    const records = await source.listReleases(limit);
    const [release, alarms, keys] = await Promise.all([
      releaseId === undefined ? undefined : readDetail(releaseId),
      source.listAlarms(),
      source.fourKeys(),
    ]);
    return { releases: timeline(records, now()), ...release, alarms, keys };
  };
  const readDetail = async (releaseId: string) => {
    const record = await source.readRelease(releaseId);
    if (!record) return { release: null, canary: null };
    const states = await source.readStates(record.executionId);
    return { release: releaseDetail(record, states, now()), canary: canarySeries(record) };
  };

  const api = async (path: string, query: URLSearchParams): Promise<unknown> => {
    if (path === '/api/releases') return timeline(await source.listReleases(limit), now());
    if (path === '/api/alarms') return source.listAlarms();
    if (path === '/api/keys') return source.fourKeys();
    const match = /^\/api\/releases\/([^/]+)(\/canary)?$/.exec(path);
    if (match?.[1] !== undefined) {
      const id = decodeSegment(match[1]);
      const record = await source.readRelease(id);
      if (!record) throw new HttpError(404, 'no such release');
      if (match[2]) return canarySeries(record);
      return releaseDetail(record, await source.readStates(record.executionId), now());
    }
    if (path === '/api/snapshot') return snapshot(query.get('release') ?? undefined);
    throw new HttpError(404, 'not found');
  };

  const stream = (request: IncomingMessage, response: ServerResponse, releaseId: string | undefined) => {
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    streams.add(response);
    let last = '';
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        const data = JSON.stringify(await snapshot(releaseId));
        if (data !== last && !closed) {
          last = data;
          response.write(`event: snapshot\ndata: ${data}\n\n`);
        } else if (!closed) response.write(': still here\n\n');
      } catch (error) {
        if (!closed) response.write(`event: problem\ndata: ${JSON.stringify({ message: messageOf(error) })}\n\n`);
      }
      if (!closed) timer = setTimeout(tick, options.pollMs ?? 1000);
    };
    request.on('close', () => {
      closed = true;
      clearTimeout(timer);
      streams.delete(response);
    });
    void tick();
  };

  const server: Server = createServer((request, response) => {
    const host = request.headers.host ?? '';
    // Loopback names only: a page elsewhere cannot reach this server through a rebound DNS name.
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(response, 403, 'application/json', JSON.stringify({ error: 'unexpected Host header' }));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'application/json', JSON.stringify({ error: 'GET only' }));
      return;
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const file = files.get(url.pathname);
    const type = STATIC[url.pathname]?.type;
    if (file && type) {
      send(response, 200, type, file);
      return;
    }
    if (url.pathname === '/api/stream') {
      stream(request, response, url.searchParams.get('release') ?? undefined);
      return;
    }
    api(url.pathname, url.searchParams).then(
      (body) => send(response, 200, 'application/json', JSON.stringify(body)),
      (error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        send(response, status, 'application/json', JSON.stringify({ error: messageOf(error) }));
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' ? new DashboardPortBusyError(`port ${options.port} on 127.0.0.1 is taken`) : error,
      );
    });
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of streams) response.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer) {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bad release id');
  }
}

// An error's message, first line only and clipped: enough to say what failed, never a stack or a dump.
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n', 1)[0] ?? text;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
