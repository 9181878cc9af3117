import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_TIME_FACTOR } from '../../sandbox/index.ts';
import { canaryScenario } from '../../scripts/lib/canary.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../../scripts/lib/release-sandbox.ts';
import { serveDashboard } from '../../src/cli/dashboard.ts';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { sleep } from '../../src/platform/index.ts';
import { analysis, fakeSource, storedRelease } from '../unit/dashboard/fixtures.ts';
import { artifactsDir, describeWithChromium, launchChromium } from './support/browser.ts';

// The dashboard in a real headless browser (Debian's chromium, driven by
// playwright-core): opened during a canary release of the sandbox's `shop`, it
// must draw the canary chart and show each analysis's verdict as it happens.
// Screenshots go to test-artifacts/dashboard/ (gitignored).

const shots = artifactsDir('dashboard');

/** What the page shows of the release it follows: its outcome and its analyses, in order. */
async function shown(page: Page) {
  const outcome =
    (await page
      .locator('#release-title .outcome')
      .textContent({ timeout: 1_000 })
      .catch(() => '')) ?? '';
  const analyses = await page
    .locator('#analyses [data-analysis]')
    .evaluateAll((items) =>
      items.map((item) => [item.getAttribute('data-analysis'), item.getAttribute('data-verdict')]),
    );
  return { outcome, analyses: analyses.map(([n, verdict]) => ({ n: Number(n), verdict: verdict ?? '' })) };
}

// Pixels of a series' colour on a chart's canvas: uPlot drew that line.
const SERIES_PIXELS = `(([selector, r, g, b]) => {
  const canvas = document.querySelector(selector);
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - r) < 30 && Math.abs(data[i + 1] - g) < 30 && Math.abs(data[i + 2] - b) < 30 && data[i + 3] > 200) count++;
  }
  return count;
})`;
const seriesPixels = (page: Page, selector: string, rgb: [number, number, number]) =>
  page.evaluate(`${SERIES_PIXELS}(${JSON.stringify([selector, ...rgb])})`) as Promise<number>;
const CANARY_RED: [number, number, number] = [207, 34, 46];
const BASELINE_BLUE: [number, number, number] = [9, 105, 218];

describeWithChromium('the dashboard in a browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await launchChromium();
  }, 30_000);
  afterAll(() => context?.close());

  describe('during a canary release of the sandbox', () => {
    let rs: ReleaseSandbox;
    let dashboard: Dashboard;
    beforeAll(async () => {
      rs = await startReleaseSandbox({ canaryDemo: true, timeFactor: DEFAULT_TIME_FACTOR });
      dashboard = await serveDashboard(rs.target, { port: 0, pollMs: 250 });
    }, 60_000);
    afterAll(async () => {
      await dashboard?.close();
      await rs?.stop();
    });

    it('draws the canary chart and shows each analysis with its verdict as it happens', async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // Each analysis the page showed: its verdict and whether the release was still running then.
      const seen = new Map<number, { verdict: string; whileRunning: boolean }>();
      let drawn = { canary: 0, baseline: 0 };
      const follow = async () => {
        await page.goto(dashboard.url);
        for (let polls = 0; polls < 2_000; polls++) {
          const now = await shown(page);
          for (const { n, verdict } of now.analyses) {
            if (seen.has(n)) continue;
            seen.set(n, { verdict, whileRunning: now.outcome === 'RUNNING' });
            await page.screenshot({ path: join(shots, `analysis-${n}.png`), fullPage: true });
            // The README's picture (docs/dashboard.png is a copy): the first screen, mid-release.
            if (n === 4 && now.outcome === 'RUNNING') await page.screenshot({ path: join(shots, 'live.png') });
          }
          if (now.analyses.length >= 2 && drawn.canary === 0) {
            drawn = {
              canary: await seriesPixels(page, '#chart-errors canvas', CANARY_RED),
              baseline: await seriesPixels(page, '#chart-errors canvas', BASELINE_BLUE),
            };
          }
          if (now.outcome !== '' && now.outcome !== 'RUNNING') return;
          await sleep(100);
        }
      };
      const result = await canaryScenario(rs, { tag: 'v2', trafficPerSecond: 40, follow });

      expect(result.outcome).toBe('SUCCEEDED');
      expect(errors).toEqual([]);
      // The chart: both lines on the error-rate canvas once two analyses were in.
      expect(drawn.canary).toBeGreaterThan(0);
      expect(drawn.baseline).toBeGreaterThan(0);
      // Every analysis the record keeps, shown one by one, in order, most while the release still ran.
      const [record] = await rs.target.releases.listReleases({ limit: 1, service: 'shop' });
      const kept = (record?.analyses ?? []).map((kept, index) => ({ n: index + 1, verdict: kept.verdict }));
      expect(kept.length).toBeGreaterThanOrEqual(2);
      expect([...seen.entries()].map(([n, { verdict }]) => ({ n, verdict }))).toEqual(kept);
      const live = [...seen.values()].filter((analysis) => analysis.whileRunning).length;
      expect(live).toBeGreaterThanOrEqual(kept.length - 1);
      // The states with their durations, the four keys of shop (its release now ended), the alarms (none in the sandbox).
      expect(await page.locator('#states tr').count()).toBeGreaterThan(3);
      // The keys are read again every few seconds: once the release has ended, they count it.
      const keys = page.locator('#keys [data-target="shop/staging"]');
      let keysText = '';
      for (const until = Date.now() + 15_000; Date.now() < until; await sleep(250)) {
        keysText = (await keys.textContent({ timeout: 1_000 }).catch(() => '')) ?? '';
        if (keysText.includes('1 deployments')) break;
      }
      expect(keysText).toMatch(/1 deployments.*Change failure rate0\.0% \(0 of 1\)/);
      await page.screenshot({ path: join(shots, 'ended.png'), fullPage: true });
      await expect(page.locator('#alarms').textContent()).resolves.toContain('no alarms');
    }, 120_000);
  });

  it("shows users' text as text: a hostile service name, release id and reason inject no HTML", async () => {
    const hostile = '<img src=x onerror="window.pwned=1">';
    const id = `"><script>window.pwned=2</script>`;
    const dashboard = await startDashboard({
      source: fakeSource(
        [
          storedRelease({
            releaseId: id,
            service: hostile,
            reason: '<b>bold</b>',
            analyses: [{ ...analysis('2026-12-06T08:01:00.000Z', 'pass', 0.01, 0.005), reason: hostile }],
          }),
        ],
        { alarms: [{ name: hostile, state: 'ALARM', reason: hostile }] },
      ),
      port: 0,
      pollMs: 200,
    });
    try {
      const page = await context.newPage();
      await page.goto(`${dashboard.url}#release=${encodeURIComponent(id)}`);
      await page.locator('#analyses [data-analysis="1"]').waitFor({ timeout: 10_000 });
      await page.screenshot({ path: join(shots, 'hostile-names.png'), fullPage: true });
      expect(await page.evaluate('window.pwned')).toBeUndefined();
      expect(await page.locator('img, script:not([src]), b').count()).toBe(0);
      await expect(page.locator('#release-title').textContent()).resolves.toContain(hostile);
      await expect(page.locator('#alarms').textContent()).resolves.toContain(hostile);
    } finally {
      await dashboard.close();
    }
  }, 30_000);
});
