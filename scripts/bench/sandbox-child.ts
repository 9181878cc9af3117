// One sandbox measurement in a process of its own (forked by sandbox.ts): the
// sandbox is one per process, and memory must be the sandbox's alone. Sends
// its figures to the parent over IPC; stdout is the functions' and sandbox's.
import { DEFAULT_TIME_FACTOR } from '../../sandbox/index.ts';
import { measureCanary } from './canary.ts';
import { measureFanOut } from './fanout.ts';
import { measureIdleMemory } from './idle-memory.ts';
import { measureReleaseKinds } from './release-kinds.ts';
import { measureReliability } from './reliability.ts';
import { measureWaits } from './waits.ts';

// Release kinds: fast (their figures exclude or count the waits). Fan-out: the
// sandbox's default, as `npm start` runs; see printSandbox for why it matters.
// Canary: the sandbox's default too, the factor the canary demo and its
// end-to-end test are tuned for (an analysis interval of 3 s).
const FAST_TIME_FACTOR = 0.02;

const measurements: Record<string, () => Promise<unknown>> = {
  memory: measureIdleMemory,
  'release-kinds': () => measureReleaseKinds(FAST_TIME_FACTOR),
  'fan-out': () => measureFanOut(DEFAULT_TIME_FACTOR),
  reliability: () => measureReliability(FAST_TIME_FACTOR),
  canary: () => measureCanary(DEFAULT_TIME_FACTOR),
  waits: () => measureWaits(FAST_TIME_FACTOR),
};

const name = process.argv[2] ?? '';
const measure = measurements[name];
if (!measure || !process.send) {
  console.error(`usage: fork sandbox-child.ts <${Object.keys(measurements).join('|')}> (with an IPC channel)`);
  process.exit(2);
}
try {
  const figures = await measure();
  // Then the process ends by itself, or the parent reports that something was left running.
  process.send({ figures }, () => process.disconnect());
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}
