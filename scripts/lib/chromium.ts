// Debian's chromium, headless, driven by playwright-core (which downloads no
// browser): for the dashboard's browser test and its bench.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless chromium in a fresh profile (its --user-data-dir, removed when the context closes). */
export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  // Chromium may still be writing the profile as the context closes (ENOTEMPTY, seen once in CI's bench):
  // retried, and a leftover directory in the temp dir is no reason to fail a test or the bench.
  context.on('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // Left in the temp dir: nothing reads it again.
    }
  });
  return context;
}
