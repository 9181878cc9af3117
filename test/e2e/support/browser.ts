import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe } from '@jest/globals';

// A real headless browser in tests: Debian's chromium, driven by
// playwright-core (which downloads no browser). As with the AWS CLI
// (aws-cli.ts): without chromium a developer's machine skips the block, saying
// why and how to install it; under CI (any non-empty CI) its tests fail, since
// .ci/run installs chromium.

import { CHROMIUM } from '../../../scripts/lib/chromium.ts';

export { CHROMIUM, launchChromium } from '../../../scripts/lib/chromium.ts';

const INSTALL = 'apt-get install -y chromium';

/** Where a test keeps its screenshots: test-artifacts/<name>/ (gitignored), made if missing. */
export function artifactsDir(name: string): string {
  const dir = fileURLToPath(new URL(`../../../test-artifacts/${name}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** `describe` for tests that drive chromium: skipped with the reason printed without it, failing under CI. */
export function describeWithChromium(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, fn);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      beforeAll(() => {
        throw new Error(`${CHROMIUM} is missing and CI is set: CI must run the browser tests (${INSTALL})`);
      });
      fn();
    });
    return;
  }
  console.warn(`browser tests skipped: no chromium at ${CHROMIUM}; install it to run them: ${INSTALL}`);
  // Skipped on this condition only, so that `npm test` passes on a machine with nothing but Node.js and npm.
  const skipped = describe.skip;
  skipped(`${name} [skipped: no chromium at ${CHROMIUM}]`, fn);
}
