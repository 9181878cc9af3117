import { describe, expect, it } from '@jest/globals';
import { lostRegistrations, pushBurst, throttledReleases } from '../../scripts/lib/reliability.ts';
import { useReleaseSandbox } from './support/e2e.ts';

// The release core on a bad day, through the sandbox's fault injection: every
// release right under 30% throttling of every AWS operation, no leftover
// revision when registrations lose their answers, and the newest push live
// after bursts with redeliveries, in every run; nothing left RUNNING or locked.

const rs = useReleaseSandbox();

describe('under injected faults', () => {
  it('every release ends right with 30% throttling on every AWS operation', async () => {
    const result = await throttledReleases(rs, ['t2', 't3', 't4-bad', 't5']);
    expect(result.failures).toEqual([]);
    expect(result.correct).toBe(4);
    // The faults did happen: the releases were tried, not waved through.
    expect(result.faults.throttle).toBeGreaterThan(10);
  }, 240_000);

  it('a registration that took effect but lost its answer leaves no extra revision', async () => {
    const result = await lostRegistrations(rs, ['l2', 'l3', 'l4'], 1);
    expect(result.failures).toEqual([]);
    // Every registration lost its answer: each release found its own revision on the retry.
    expect(result.faults.lost).toBe(3);
  }, 120_000);
});

describe('bursts of pushes to one target, each delivered several times', () => {
  // A seeded shuffle per run: the redeliveries arrive in another order each run, the same order every time.
  const shuffle = (seed: number) => {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  };

  it.each([1, 2, 3])(
    'back to back, run %i: the newest push ends live',
    async (run) => {
      const tags = [1, 2, 3, 4].map((k) => `b${run}-${k}`);
      const result = await pushBurst(rs, tags, { gapMs: 0, deliveries: 3, shuffle: shuffle(run) });
      expect(result.failures).toEqual([]);
    },
    120_000,
  );

  it.each([1, 2, 3])(
    '100 ms apart, run %i: the newest push ends live',
    async (run) => {
      const tags = [1, 2, 3].map((k) => `g${run}-${k}`);
      const result = await pushBurst(rs, tags, { gapMs: 100, deliveries: 3, shuffle: shuffle(10 + run) });
      expect(result.failures).toEqual([]);
    },
    120_000,
  );
});
