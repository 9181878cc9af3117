import { type DemoApp, startDemoApp } from '../../../sandbox/demo-app/app.ts';
import { behaviourOf } from '../../../sandbox/demo-app/behaviour.ts';

// The demo web app's behaviour per tag (see sandbox/demo-app/README.md).

const digest = `sha256:${'a'.repeat(64)}`;
const apps: DemoApp[] = [];

async function start(tag: string): Promise<DemoApp> {
  const started = await startDemoApp({ repository: 'demo/web', tag, digest, taskId: 'task1' });
  if (!started.started) throw new Error(`demo/web:${tag} did not start`);
  apps.push(started.app);
  return started.app;
}

const get = async (app: DemoApp, path = '/') => {
  const response = await fetch(`http://127.0.0.1:${app.port}${path}`);
  return { status: response.status, body: await response.text() };
};

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('the demo app', () => {
  it('says its repository, tag and task, and is healthy, for an ordinary tag', async () => {
    const app = await start('v2');
    expect(await get(app)).toEqual({ status: 200, body: 'demo/web v2 (task task1)\n' });
    expect(await get(app, '/health')).toEqual({ status: 200, body: 'ok\n' });
    const info = JSON.parse((await get(app, '/info')).body) as Record<string, unknown>;
    expect(info).toMatchObject({ repository: 'demo/web', tag: 'v2', digest, taskId: 'task1', requests: 1 });
  });

  it('exits at start for -crash', async () => {
    await expect(startDemoApp({ repository: 'demo/web', tag: 'v2-crash', digest, taskId: 't' })).resolves.toEqual({
      started: false,
      exitCode: 1,
      output: 'Error: demo/web v2-crash crashes at start (its tag ends in -crash)',
    });
  });

  it('fails half its requests at random for -flaky, and stays healthy', async () => {
    const app = await start('v2-flaky');
    const statuses = await Promise.all(Array.from({ length: 200 }, () => get(app).then((a) => a.status)));
    // Binomial(200, 0.5): 100 ± 3.5 standard deviations.
    expect(statuses.filter((status) => status === 500).length).toBeGreaterThanOrEqual(65);
    expect(statuses.filter((status) => status === 500).length).toBeLessThanOrEqual(135);
    expect(statuses.filter((status) => status !== 500).every((status) => status === 200)).toBe(true);
    expect((await get(app, '/health')).status).toBe(200);
  });

  it('fails its health check as well for -bad', async () => {
    const app = await start('v2-bad');
    expect((await get(app, '/health')).status).toBe(500);
    const statuses = await Promise.all(Array.from({ length: 40 }, () => get(app).then((a) => a.status)));
    expect(new Set(statuses)).toEqual(new Set([200, 500]));
  });

  it('adds 800 ms to application requests for -slow, not to its health check', async () => {
    const app = await start('v2-slow');
    let started = performance.now();
    await get(app, '/health');
    expect(performance.now() - started).toBeLessThan(400);
    started = performance.now();
    expect((await get(app)).body).toBe('demo/web v2-slow (task task1)\n');
    expect(performance.now() - started).toBeGreaterThanOrEqual(790);
  });

  it('fails about 30 of 100 requests for -err30 and adds 200 ms for -lat200, combined, health check untouched', async () => {
    const app = await start('v2-err30-lat200');
    let started = performance.now();
    expect((await get(app, '/health')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(150);
    started = performance.now();
    const statuses = await Promise.all(Array.from({ length: 100 }, () => get(app).then((a) => a.status)));
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    // Binomial(100, 0.3): 30 ± 3.3 standard deviations.
    const failed = statuses.filter((status) => status === 500).length;
    expect(failed).toBeGreaterThanOrEqual(15);
    expect(failed).toBeLessThanOrEqual(45);
    expect(statuses.filter((status) => status === 200)).toHaveLength(100 - failed);
  });

  it('closes with exit code 0, dropping a pending slow answer', async () => {
    const app = await start('v2-slow');
    const pending = fetch(`http://127.0.0.1:${app.port}/`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(app.close()).resolves.toBe(0);
    expect(String(await pending)).toMatch(/fetch failed/);
    apps.pop();
  });
});

describe('tag behaviours', () => {
  it('combine suffixes', () => {
    const plain = { errorShare: 0, healthy: true, latencyMs: 0, latencyJitter: 0 };
    expect(behaviourOf('v3-slow-flaky')).toEqual({ ...plain, errorShare: 0.5, latencyMs: 800 });
    expect(behaviourOf('v1')).toEqual(plain);
    expect(behaviourOf('bad')).toEqual(plain);
    expect(behaviourOf('v2-err5')).toEqual({ ...plain, errorShare: 0.05 });
    expect(behaviourOf('v2-lat200-slow')).toEqual({ ...plain, latencyMs: 1000 });
    expect(behaviourOf('v2-err101-latx')).toEqual(plain);
  });

  it('take fractional percentages and a latency jitter: the noisy baseline', () => {
    expect(behaviourOf('v1-err0.5-lat20-jit30')).toEqual({
      errorShare: 0.005,
      healthy: true,
      latencyMs: 20,
      latencyJitter: 0.3,
    });
    expect(behaviourOf('v1-jit101-err0.123-jit')).toMatchObject({ errorShare: 0, latencyJitter: 0 });
  });
});
