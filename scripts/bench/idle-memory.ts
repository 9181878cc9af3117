// Runs in a child process (sandbox-child.ts), so that only the sandbox is
// measured: its resident set idle with the demo running, right after start-up
// and again once a release has loaded every function.
import { DEFAULT_TIME_FACTOR } from '../../sandbox/index.ts';
import { sleep } from '../../src/platform/index.ts';
import { startReleaseSandbox } from '../lib/release-sandbox.ts';
import { releaseImage } from '../lib/releases.ts';

export interface MemoryFigures {
  /** After start-up, settled (bytes). */
  startedRss: number;
  /** After one release of the demo, settled (bytes). */
  releasedRss: number;
  heapUsed: number;
}

const SETTLE_MS = 3_000;

/** Idle for a while (health checks and scheduler ticks keep running), then a full GC if the child may ask for one. */
async function settled(): Promise<NodeJS.MemoryUsage> {
  await sleep(SETTLE_MS);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(200);
  return process.memoryUsage();
}

export async function measureIdleMemory(): Promise<MemoryFigures> {
  const rs = await startReleaseSandbox({ timeFactor: DEFAULT_TIME_FACTOR });
  try {
    const started = await settled();
    const release = await releaseImage(rs.target, 'demo/web', 'v2');
    if (release.status !== 'SUCCEEDED') throw new Error(`the release of v2 ended ${release.status}`);
    const released = await settled();
    return { startedRss: started.rss, releasedRss: released.rss, heapUsed: released.heapUsed };
  } finally {
    await rs.stop();
  }
}
