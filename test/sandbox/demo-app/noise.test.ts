import { behaviourOf } from '../../../sandbox/demo-app/behaviour.ts';
import { requestNoiseOf } from '../../../sandbox/demo-app/noise.ts';

// The demo app's noise: random failures at the tag's probability and lognormal
// latency jitter, seeded per task.

const draws = <T>(n: number, draw: () => T): T[] => Array.from({ length: n }, draw);

describe('request noise', () => {
  it('fails at the tag’s probability, at random: a fresh task’s first request fails about as often as any other', () => {
    const behaviour = behaviourOf('v2-err50');
    const firsts = draws(400, () => 0).map((_, i) => requestNoiseOf(behaviour, `task-${i}`).fails());
    // Binomial(400, 0.5): 200 ± 4 standard deviations.
    expect(firsts.filter(Boolean).length).toBeGreaterThan(160);
    expect(firsts.filter(Boolean).length).toBeLessThan(240);
    const noise = requestNoiseOf(behaviourOf('v2-err0.5'), 'task-a');
    // Binomial(100,000, 0.005): 500 ± 5 standard deviations.
    const failed = draws(100_000, noise.fails).filter(Boolean).length;
    expect(failed).toBeGreaterThan(390);
    expect(failed).toBeLessThan(610);
  });

  it('replays per task and differs between tasks', () => {
    const behaviour = behaviourOf('v2-err30-lat100-jit30');
    const run = (taskId: string) => {
      const noise = requestNoiseOf(behaviour, taskId);
      return draws(50, () => [noise.fails(), noise.latencyMs()]);
    };
    expect(run('task-a')).toEqual(run('task-a'));
    expect(run('task-a')).not.toEqual(run('task-b'));
  });

  it('multiplies the added latency by a lognormal factor of the jitter’s σ, median unchanged', () => {
    const noise = requestNoiseOf(behaviourOf('v2-lat100-jit30'), 'task-a');
    const logs = draws(20_000, noise.latencyMs).map((ms) => Math.log(ms / 100));
    const mean = logs.reduce((sum, value) => sum + value, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (logs.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sd - 0.3)).toBeLessThan(0.01);
    const steady = requestNoiseOf(behaviourOf('v2-lat100'), 'task-a');
    expect(draws(10, steady.latencyMs)).toEqual(Array(10).fill(100));
    expect(requestNoiseOf(behaviourOf('v2-jit30'), 'task-a').latencyMs()).toBe(0);
  });
});
