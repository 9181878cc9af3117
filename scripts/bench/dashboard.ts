// The dashboard's first load: from starting its server to the page showing
// the releases, in headless chromium (Debian's, driven by playwright-core),
// beside an anchor measured the same way in the same run: a bare node:http
// server answering a one-line page. The browser is started before either
// clock, so neither includes chromium's own start. Also the page's weight: the
// bytes of every response it loads, the event stream aside.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { DEFAULT_TIME_FACTOR } from '../../sandbox/index.ts';
import { serveDashboard } from '../../src/cli/dashboard.ts';
import { CHROMIUM, launchChromium } from '../lib/chromium.ts';
import { startReleaseSandbox } from '../lib/release-sandbox.ts';
import { releaseImage } from '../lib/releases.ts';
import { median } from './median.ts';

const RUNS = 5;

export type DashboardFigures =
  | { skipped: string }
  | {
      /** Server start → page loaded with the releases shown, median of RUNS (ms). */
      firstLoadMs: number;
      /** Server start → a bare node:http page loaded, median of RUNS (ms). */
      bareHttpMs: number;
      /** Bytes of the page, its script and stylesheet, uPlot and the first JSON. */
      pageBytes: number;
      releases: number;
    };

/** Bytes of every response but the event stream, counted as they arrive. */
function weigh(page: Page): () => number {
  let bytes = 0;
  page.on('response', (response) => {
    if (response.url().includes('/api/stream')) return;
    response.body().then(
      (body) => {
        bytes += body.length;
      },
      () => undefined,
    );
  });
  return () => bytes;
}

async function bareHttpLoad(page: Page): Promise<number> {
  const started = performance.now();
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>bare</title><p>bare</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const ms = performance.now() - started;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return ms;
}

export async function benchDashboard(): Promise<DashboardFigures> {
  if (!existsSync(CHROMIUM)) return { skipped: `no chromium at ${CHROMIUM} (apt-get install -y chromium)` };
  const rs = await startReleaseSandbox({ timeFactor: DEFAULT_TIME_FACTOR });
  const browser = await launchChromium();
  try {
    // Something to show: one release of the demo.
    await releaseImage(rs.target, 'demo/web', 'v2');
    const loads: number[] = [];
    const bare: number[] = [];
    let pageBytes = 0;
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage();
      bare.push(await bareHttpLoad(page));
      const weight = weigh(page);
      const started = performance.now();
      const dashboard = await serveDashboard(rs.target, { port: 0 });
      await page.goto(dashboard.url);
      await page.locator('#timeline .lane').first().waitFor({ timeout: 30_000 });
      loads.push(performance.now() - started);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      pageBytes = weight();
      await page.close();
      await dashboard.close();
    }
    const releases = (await rs.target.releases.listReleases({ limit: 100 })).length;
    return { firstLoadMs: median(loads), bareHttpMs: median(bare), pageBytes, releases };
  } finally {
    await browser.close();
    await rs.stop();
  }
}

export function printDashboard(figures: DashboardFigures): void {
  console.log('\ndashboard (release dashboard / npm start), first load in headless chromium');
  if ('skipped' in figures) {
    console.log(`  skipped: ${figures.skipped}`);
    return;
  }
  console.log(
    `  server start → page loaded with the releases (${figures.releases}), median of ${RUNS}: ${figures.firstLoadMs.toFixed(0)} ms` +
      ` (bare node:http server → its page loaded: ${figures.bareHttpMs.toFixed(0)} ms)`,
  );
  console.log(`  page weight: ${(figures.pageBytes / 1024).toFixed(1)} KB (HTML, script, CSS, uPlot, first data)`);
}
