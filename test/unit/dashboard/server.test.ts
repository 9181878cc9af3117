import { request } from 'node:http';
import { type Dashboard, DashboardPortBusyError, startDashboard } from '../../../src/dashboard/index.ts';
import { analysis, fakeSource, storedRelease } from './fixtures.ts';

// The dashboard's server over a fake source: its endpoints, its guards, its stream.

const records = [
  storedRelease({ releaseId: 'shop-dev-2', analyses: [analysis('2026-12-06T08:01:00.000Z', 'pass', 0.01, 0.005)] }),
  storedRelease({ releaseId: 'weird id/with slash', service: 'web' }),
];
let dashboard: Dashboard;
beforeAll(async () => {
  dashboard = await startDashboard({
    source: fakeSource(records, { alarms: [{ name: 'shop-5xx', state: 'OK' }] }),
    port: 0,
    pollMs: 50,
  });
});
afterAll(() => dashboard.close());

function get(
  path: string,
  host = `127.0.0.1:${dashboard.port}`,
): Promise<{ status: number; type: string; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: dashboard.port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        // A stream never ends: its first snapshot is enough.
        if (path.startsWith('/api/stream') && body.includes('event: snapshot')) response.destroy();
      });
      const done = () =>
        resolve({
          status: response.statusCode ?? 0,
          type: String(response.headers['content-type']),
          csp: String(response.headers['content-security-policy']),
          body,
        });
      response.on('end', done);
      response.on('close', done);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard server', () => {
  it('listens on 127.0.0.1 and serves the page, its script and uPlot, with a strict content security policy', async () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/app.js">');
    expect(page.csp).toContain("default-src 'self'");
    expect(page.csp).not.toContain('script-src');
    expect((await get('/app.js')).status).toBe(200);
    expect((await get('/uplot.js')).body.length).toBeGreaterThan(40_000);
  });

  it('answers the timeline, a release (ids URL-encoded), its canary series, the alarms and the keys as JSON', async () => {
    const lanes = JSON.parse((await get('/api/releases')).body);
    expect(lanes.map((lane: { service: string }) => lane.service)).toEqual(['shop', 'web']);
    const detail = JSON.parse((await get(`/api/releases/${encodeURIComponent('weird id/with slash')}`)).body);
    expect(detail.id).toBe('weird id/with slash');
    const canary = JSON.parse((await get('/api/releases/shop-dev-2/canary')).body);
    expect(canary.errorRate.canary).toEqual([1]);
    expect(JSON.parse((await get('/api/alarms')).body)).toEqual([{ name: 'shop-5xx', state: 'OK' }]);
    expect(JSON.parse((await get('/api/keys')).body)).toMatchObject({ available: false });
    expect((await get('/api/releases/nope')).status).toBe(404);
    expect((await get('/api/releases/%E0%A4%A')).status).toBe(400);
    expect((await get('/nothing-here')).status).toBe(404);
  });

  it('refuses a Host that is not loopback (DNS rebinding)', async () => {
    expect((await get('/api/releases', 'evil.example:80')).status).toBe(403);
  });

  it('streams a snapshot of the release followed', async () => {
    const answer = await get('/api/stream?release=shop-dev-2');
    expect(answer.type).toContain('text/event-stream');
    const data = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(answer.body)?.[1] ?? '{}');
    expect(data.release.id).toBe('shop-dev-2');
    expect(data.canary.verdicts).toHaveLength(1);
    expect(data.releases).toHaveLength(2);
  });

  it('says clearly when its port is taken', async () => {
    await expect(startDashboard({ source: fakeSource([]), port: dashboard.port })).rejects.toThrow(
      DashboardPortBusyError,
    );
  });
});
