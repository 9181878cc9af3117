import { canaryCheckRequestSchema } from '../../src/canary/check-schema.ts';
import { decideAfterAnalysis, NO_HISTORY } from '../../src/canary/decision.ts';
import { watchRollout } from '../../src/release/index.ts';
import type { NativeStep } from '../support/scripted-ecs.ts';
import type { Harness } from './harness.ts';

// What the canary state-machine tests share: a canary's stages as ECS goes
// through them, and canary-check answering scripted verdicts.

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export const CANARY: NativeStep[] = [
  { stage: 'SCALE_UP' },
  { stage: 'POST_TEST_TRAFFIC_SHIFT', weight: 0, pause: true },
  { stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', weight: 0, pause: true },
  { stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 10, reads: 2 },
  { stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', weight: 10, pause: true },
  { stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 100 },
  { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', weight: 100, pause: true },
  { stage: 'BAKE_TIME', weight: 100 },
];

type AnalysisInput = ReturnType<typeof canaryCheckRequestSchema.parse>;

/**
 * Canary-check answering `verdicts` in turn (the last repeats), or what `verdicts` says for each
 * input (when how many analyses a stage gets is ECS's pace, not a script's); records each input.
 */
export function scriptedAnalysis(verdicts: Verdict[] | ((input: AnalysisInput) => Verdict)) {
  const inputs: AnalysisInput[] = [];
  const calledAt: number[] = [];
  const stub = (raw: unknown) => {
    calledAt.push(Date.now());
    const input = canaryCheckRequestSchema.parse(raw);
    const verdict =
      typeof verdicts === 'function'
        ? verdicts(input)
        : (verdicts[Math.min(inputs.length, verdicts.length - 1)] ?? 'pass');
    inputs.push(input);
    const { decision, history } = decideAfterAnalysis(verdict, input.history ?? NO_HISTORY, input.policy, {
      paused: input.rolloutStatus === 'PAUSED',
    });
    const end = new Date();
    return {
      verdict,
      decision,
      reason: `scripted ${verdict} (error rate 30.0% vs 0.1%)`,
      metrics: [
        { metric: 'error-rate', verdict, reason: 'scripted', canary: { requests: 100, errors: 30, rate: 0.3 } },
      ],
      history,
      release: { analyses: (input.release?.analyses ?? 0) + 1 },
      // As canary-check answers: its window starts where it was asked to.
      window: { start: ('since' in input.window ? input.window.since : end).toISOString(), end: end.toISOString() },
    };
  };
  return { inputs, calledAt, stub };
}

// The tests do not wait an analysis interval in real time: every check finds the canary due.
export const alwaysDue = (state: string, input: unknown) => {
  if (state === 'CheckRollout')
    (input as { look: { native: { since: string } } }).look.native.since = '2000-01-01T00:00:00.000Z';
};

/**
 * CheckRollout (watchRollout) with its look and its notice the harness's own (waitStable, notify) and its
 * analysis `analyse` (a scripted canary-check); `beforeAnalysis` sees each analysis request first.
 */
export function watching(
  harness: Pick<Harness, 'invoke'>,
  analyse: (input: unknown) => unknown,
  beforeAnalysis?: (input: unknown) => void | Promise<void>,
) {
  /** Whether each CheckRollout analysed, in order. */
  const analysed: boolean[] = [];
  const watch = async (input: unknown) => {
    const result = await watchRollout(input, {
      look: async (query) => (await harness.invoke('waitStable', query)) as never,
      analyse: async (request) => {
        await beforeAnalysis?.(request);
        return JSON.parse(JSON.stringify(await analyse(request)));
      },
      report: async (notice) => (await harness.invoke('notify', notice)) as never,
    });
    analysed.push(result.stability.next === 'analyse');
    return result;
  };
  return Object.assign(watch, { analysed });
}

/** Where the nth (1-based) CheckRollout that analysed is entered in `states`; -1 if none. */
export function nthAnalysis(states: string[], analysed: boolean[], n: number): number {
  const looks = states.map((state, index) => (state === 'CheckRollout' ? index : -1)).filter((index) => index >= 0);
  return looks.filter((_, look) => analysed[look])[n - 1] ?? -1;
}
