import type { CanaryJudgement } from './judgement.ts';
import type { AnalysisPolicy } from './policy.ts';

/**
 * What the release does after an analysis: go on, roll back, analyse again later (`wait`: the step
 * still bakes; `extend`: the step's bake is over but the canary is short of data, so its hook stays
 * paused another interval), or ask a person.
 */
export type CanaryDecision = 'continue' | 'rollback' | 'wait' | 'extend' | 'ask';

/** The analyses of this step so far: failures in all, inconclusive ones in a row, and those of them at a paused hook. */
export interface AnalysisHistory {
  failures: number;
  inconclusive: number;
  /** Inconclusive analyses in a row while the step's hook waited: the intervals its bake was extended. */
  extended: number;
}

export const NO_HISTORY: AnalysisHistory = { failures: 0, inconclusive: 0, extended: 0 };

/** What the rollout was doing when the analysis ran. */
export interface AnalysisMoment {
  /** ECS waits at the step's PAUSE hook: its bake is over, and it moves on only when the release answers. */
  paused: boolean;
}

/**
 * Decides what a step does after one more analysis, and the history to pass to
 * the next one. A failure counts toward failureLimit for the whole step. A
 * canary short of data is never rolled back for it while data can still come:
 * during the bake it waits, and at the paused hook after it the bake extends an
 * interval at a time up to maxExtensionMinutes; then onNoData decides (ask a
 * person, proceed as after a pass, or roll back).
 */
export function decideAfterAnalysis(
  verdict: CanaryJudgement['verdict'],
  history: AnalysisHistory,
  policy: Pick<AnalysisPolicy, 'failureLimit' | 'maxExtensionMinutes' | 'onNoData' | 'intervalSeconds'>,
  moment: AnalysisMoment,
): { decision: CanaryDecision; history: AnalysisHistory } {
  if (verdict === 'fail') {
    const failures = history.failures + 1;
    return {
      decision: failures >= policy.failureLimit ? 'rollback' : 'wait',
      history: { failures, inconclusive: 0, extended: 0 },
    };
  }
  if (verdict === 'pass')
    return { decision: 'continue', history: { failures: history.failures, inconclusive: 0, extended: 0 } };
  const inconclusive = history.inconclusive + 1;
  if (!moment.paused) return { decision: 'wait', history: { ...history, inconclusive } };
  const extendedSeconds = history.extended * policy.intervalSeconds;
  if (extendedSeconds < policy.maxExtensionMinutes * 60) {
    return {
      decision: 'extend',
      history: { failures: history.failures, inconclusive, extended: history.extended + 1 },
    };
  }
  const decision = policy.onNoData === 'proceed' ? 'continue' : policy.onNoData;
  return { decision, history: { ...history, inconclusive } };
}
