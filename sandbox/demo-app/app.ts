import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { behaviourOf, type DemoBehaviour } from './behaviour.ts';
import { databaseCheckOf } from './database-check.ts';
import { requestNoiseOf } from './noise.ts';

// The demo web app that every sandbox task runs: an in-process node:http
// server on a free loopback port. In-process rather than a child process: a
// task then costs a few hundred kilobytes instead of a Node runtime (~40 MB),
// starts in a millisecond, and stopping the sandbox closes it for certain.

export interface DemoAppOptions {
  repository: string;
  tag: string;
  digest: string;
  taskId: string;
  host?: string;
  /** Extra environment from the task definition, shown by /info (names only: values may be secrets). */
  environment?: Record<string, string>;
}

/** A running demo app. */
export interface DemoApp {
  readonly port: number;
  readonly behaviour: DemoBehaviour;
  /** Stops listening and drops open connections; resolves with the exit code (0: a clean SIGTERM). */
  close(): Promise<number>;
}

/** The outcome of starting the app: listening, or exited at start like a crashing container. */
export type DemoAppStart = { started: true; app: DemoApp } | { started: false; exitCode: number; output: string };

/** Starts the demo app for one task. */
export async function startDemoApp(options: DemoAppOptions): Promise<DemoAppStart> {
  const behaviour = behaviourOf(options.tag);
  const name = `${options.repository} ${options.tag}`;
  if (behaviour.crashExitCode !== undefined) {
    return {
      started: false,
      exitCode: behaviour.crashExitCode,
      output: `Error: ${name} crashes at start (its tag ends in -crash)`,
    };
  }

  const startedAt = new Date();
  const checkDatabase = databaseCheckOf(options.environment ?? {});
  const noise = requestNoiseOf(behaviour, options.taskId);
  const delays = new Set<NodeJS.Timeout>();
  let requests = 0;
  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, {
      'content-type': type,
      'x-demo-image': `${options.repository}:${options.tag}`,
      'x-demo-task': options.taskId,
    });
    res.end(body);
  };
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/health') {
      send(res, behaviour.healthy ? 200 : 500, behaviour.healthy ? 'ok\n' : 'unhealthy\n');
      return;
    }
    if (path === '/info') {
      const info = {
        repository: options.repository,
        tag: options.tag,
        digest: options.digest,
        taskId: options.taskId,
        startedAt: startedAt.toISOString(),
        requests,
        behaviour,
        environment: Object.keys(options.environment ?? {}),
      };
      send(res, 200, `${JSON.stringify(info)}\n`, 'application/json');
      return;
    }
    requests++;
    const fails = noise.fails();
    const answerRequest = fails
      ? () => send(res, 500, `${name} (task ${options.taskId}): internal error\n`)
      : () => send(res, 200, `${name} (task ${options.taskId})\n`);
    // With a database credential, every answer waits for a fresh login with it (database-check.ts).
    const respond =
      checkDatabase === undefined || fails
        ? answerRequest
        : () =>
            void checkDatabase().then(answerRequest, (error: unknown) => {
              if (!res.writableEnded) {
                send(
                  res,
                  500,
                  `${name} (task ${options.taskId}): ${error instanceof Error ? error.message : 'database error'}\n`,
                );
              }
            });
    const latencyMs = noise.latencyMs();
    if (latencyMs === 0) {
      respond();
      return;
    }
    const delay = setTimeout(() => {
      delays.delete(delay);
      respond();
    }, latencyMs);
    delays.add(delay);
  };

  const server = createServer(answer);
  server.keepAliveTimeout = 65_000; // longer than the load balancer's, as AWS advises for targets
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<number> | undefined;
  const close = () => {
    closing ??= new Promise<number>((resolve) => {
      for (const delay of delays) clearTimeout(delay);
      delays.clear();
      server.close(() => resolve(0));
      server.closeAllConnections();
    });
    return closing;
  };
  return { started: true, app: { port, behaviour, close } };
}
