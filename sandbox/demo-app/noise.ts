import { createHash } from 'node:crypto';
import { type RandomGenerator, xoroshiro128plus } from 'pure-rand';
import type { DemoBehaviour } from './behaviour.ts';

// Real traffic is noisy: which request fails and how long each one takes are
// random, not a pattern a test can count on. Each task draws from its own
// generator seeded by its task id, so one task's answers replay exactly while
// two tasks of one revision (and two revisions) fail independently, as
// replicas of a real service do. Nothing fails "first": a single probe of a
// fresh task fails with the tag's probability, as a real flaky build would.

/** One task's draws: whether the next request fails and how long it waits. */
export interface RequestNoise {
  /** Whether the next application request fails (probability: the behaviour's errorShare). */
  fails(): boolean;
  /** The next request's added latency in ms: latencyMs × lognormal(0, latencyJitter). */
  latencyMs(): number;
}

const TWO_TO_32 = 2 ** 32;

/** A 32-bit seed from a task id (its SHA-256's first four bytes). */
export function seedOf(taskId: string): number {
  return createHash('sha256').update(taskId).digest().readInt32BE(0);
}

/** The noise of one task running `behaviour`, reproducible from `taskId`. */
export function requestNoiseOf(behaviour: DemoBehaviour, taskId: string): RequestNoise {
  const rng: RandomGenerator = xoroshiro128plus(seedOf(taskId));
  // A uniform draw in [0, 1) from the generator's next 32 bits.
  const uniform = () => (rng.unsafeNext() >>> 0) / TWO_TO_32;
  // Box–Muller: a standard normal draw from two uniforms (1 - u keeps the log finite).
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return {
    fails: () => behaviour.errorShare > 0 && uniform() < behaviour.errorShare,
    latencyMs: () =>
      behaviour.latencyJitter === 0 || behaviour.latencyMs === 0
        ? behaviour.latencyMs
        : behaviour.latencyMs * Math.exp(behaviour.latencyJitter * normal()),
  };
}
