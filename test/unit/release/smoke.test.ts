import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smokeCheckSchema } from '../../../src/catalog/schema.ts';
import { SmokeTestFailedError } from '../../../src/platform/errors.ts';
import { createHttpProbe } from '../../../src/release/adapters/http-probe.ts';
import { runSmokeTest } from '../../../src/release/smoke.ts';

// The smoke test against a real HTTP server on loopback, with the real probe.

type Route = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

let server: Server;
let base: string;
const routes = new Map<string, Route>();
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const route = routes.get(path);
    if (route) route(request, response, hit);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const delays: number[] = [];
const deps = {
  probe: createHttpProbe(),
  sleep: async (ms: number) => {
    delays.push(ms);
  },
};
beforeEach(() => {
  delays.length = 0;
});

const check = (path: string, options: Record<string, unknown> = {}) =>
  smokeCheckSchema.parse({ url: `${base}${path}`, retryDelaySeconds: 1, ...options });
const failureOf = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the smoke test to fail');
};

describe('smoke test', () => {
  it('passes when every check gets its status, with the status and latency of each', async () => {
    routes.set('/ok', (_request, response) => response.writeHead(200).end('ok'));
    routes.set('/created', (_request, response) => response.writeHead(201).end());

    const result = await runSmokeTest([check('/ok', { name: 'home' }), check('/created', { expectStatus: 201 })], deps);

    expect(result.passed).toBe(true);
    expect(result.checks).toEqual([
      { name: 'home', url: `${base}/ok`, passed: true, status: 200, latencyMs: expect.any(Number), attempts: 1 },
      {
        name: `GET ${base}/created`,
        url: `${base}/created`,
        passed: true,
        status: 201,
        latencyMs: expect.any(Number),
        attempts: 1,
      },
    ]);
  });

  it('tries again after the retry delay, and passes once the service answers', async () => {
    routes.set('/warming', (_request, response, hit) => response.writeHead(hit < 3 ? 503 : 200).end());

    const result = await runSmokeTest([check('/warming', { attempts: 3, retryDelaySeconds: 2 })], deps);

    expect(result.checks[0]).toMatchObject({ passed: true, status: 200, attempts: 3 });
    expect(delays).toEqual([2000, 2000]);
  });

  it('fails with every failing check, what it expected and what it got, after all attempts', async () => {
    routes.set('/down', (_request, response) => response.writeHead(503).end());
    routes.set('/fine', (_request, response) => response.writeHead(200).end());

    const error = await failureOf(
      runSmokeTest(
        [check('/down', { name: 'api', attempts: 2 }), check('/fine'), check('/missing', { attempts: 1 })],
        deps,
      ),
    );

    expect(error).toBeInstanceOf(SmokeTestFailedError);
    expect(error.message).toBe(
      [
        '2 of 3 smoke checks failed:',
        `- api (GET ${base}/down): expected status 200, got 503 (2 attempts)`,
        `- GET ${base}/missing: expected status 200, got 404 (1 attempt)`,
      ].join('\n'),
    );
  });

  it('fails a check whose body lacks the expected text', async () => {
    routes.set('/page', (_request, response) => response.writeHead(200).end('<h1>Maintenance</h1>'));

    const error = await failureOf(runSmokeTest([check('/page', { bodyMatch: 'Welcome', attempts: 1 })], deps));

    expect(error.message).toContain('status 200 but the body does not contain "Welcome"');
  });

  it('passes a check whose body has the expected text', async () => {
    routes.set('/welcome', (_request, response) => response.writeHead(200).end('<h1>Welcome, v2</h1>'));

    const result = await runSmokeTest([check('/welcome', { bodyMatch: 'Welcome, v2' })], deps);

    expect(result.passed).toBe(true);
  });

  it('does not follow a redirect to something that answers 200', async () => {
    routes.set('/moved', (_request, response) => response.writeHead(302, { location: '/ok' }).end());
    routes.set('/ok', (_request, response) => response.writeHead(200).end('ok'));

    const error = await failureOf(runSmokeTest([check('/moved', { attempts: 1 })], deps));

    expect(error.message).toContain('expected status 200, got 302');
  });

  it('gives up on a response that does not come in time', async () => {
    routes.set('/slow', (_request, response) => {
      setTimeout(() => response.writeHead(200).end(), 2000).unref();
    });

    const started = Date.now();
    const error = await failureOf(runSmokeTest([check('/slow', { timeoutSeconds: 0.2, attempts: 2 })], deps));

    expect(error.message).toContain('no response within 0.2 s (2 attempts)');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a service nobody listens on as a connection failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const error = await failureOf(
      runSmokeTest([smokeCheckSchema.parse({ name: 'gone', url: `http://127.0.0.1:${port}/`, attempts: 1 })], deps),
    );

    expect(error.message).toContain('connection failed: ECONNREFUSED');
  });

  it('runs the checks at the same time', async () => {
    const slow: Route = (_request, response) => {
      setTimeout(() => response.writeHead(200).end(), 300).unref();
    };
    routes.set('/a', slow);
    routes.set('/b', slow);
    routes.set('/c', slow);

    const started = Date.now();
    await runSmokeTest([check('/a'), check('/b'), check('/c')], deps);

    expect(Date.now() - started).toBeLessThan(800);
  });

  it('passes with nothing to check', async () => {
    await expect(runSmokeTest([], deps)).resolves.toEqual({ passed: true, checks: [] });
  });
});
