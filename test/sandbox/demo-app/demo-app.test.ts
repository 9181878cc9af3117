import { type DemoApp, startDemoApp } from '../../../sandbox/demo-app/app.ts';
import { behaviourOf, failsRequest } from '../../../sandbox/demo-app/behaviour.ts';

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

  it('fails every second request, the first included, for -flaky, and stays healthy', async () => {
    const app = await start('v2-flaky');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(app)).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
    expect((await get(app, '/health')).status).toBe(200);
  });

  it('fails its health check as well for -bad', async () => {
    const app = await start('v2-bad');
    expect((await get(app, '/health')).status).toBe(500);
    expect((await get(app)).status).toBe(500);
    expect((await get(app)).status).toBe(200);
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

  it('fails 30 of 100 requests for -err30 and adds 200 ms for -lat200, combined, health check untouched', async () => {
    const app = await start('v2-err30-lat200');
    let started = performance.now();
    expect((await get(app, '/health')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(150);
    started = performance.now();
    const statuses = await Promise.all(Array.from({ length: 100 }, () => get(app).then((a) => a.status)));
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(statuses.filter((status) => status === 500)).toHaveLength(30);
    expect(statuses.filter((status) => status === 200)).toHaveLength(70);
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
    expect(behaviourOf('v3-slow-flaky')).toEqual({ errorShare: 0.5, healthy: true, latencyMs: 800 });
    expect(behaviourOf('v1')).toEqual({ errorShare: 0, healthy: true, latencyMs: 0 });
    expect(behaviourOf('bad')).toEqual({ errorShare: 0, healthy: true, latencyMs: 0 });
    expect(behaviourOf('v2-err5')).toEqual({ errorShare: 0.05, healthy: true, latencyMs: 0 });
    expect(behaviourOf('v2-lat200-slow')).toEqual({ errorShare: 0, healthy: true, latencyMs: 1000 });
    expect(behaviourOf('v2-err101-latx')).toEqual({ errorShare: 0, healthy: true, latencyMs: 0 });
  });

  it('spread failures evenly for any share', () => {
    const failures = (share: number, n: number) =>
      Array.from({ length: n }, (_, i) => failsRequest(i + 1, share)).filter(Boolean).length;
    expect(failures(0.5, 100)).toBe(50);
    expect(failures(0.1, 100)).toBe(10);
    expect(failsRequest(1, 0.1)).toBe(true);
    expect(failures(0, 100)).toBe(0);
  });
});
