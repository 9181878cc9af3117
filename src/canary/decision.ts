import type { CanaryJudgement } from './judgement.ts';
import type { AnalysisPolicy } from './policy.ts';

/** What the release does after an analysis: go on, roll back, analyse again later, or ask a person. */
export type CanaryDecision = 'continue' | 'rollback' | 'wait' | 'ask';

/** The analyses of this step so far: failures in all, inconclusive ones in a row. */
export interface AnalysisHistory {
  failures: number;
  inconclusive: number;
}

export const NO_HISTORY: AnalysisHistory = { failures: 0, inconclusive: 0 };

/**
 * Decides what a step does after one more analysis, and the history to pass to
 * the next one. A failure counts toward failureLimit for the whole step (a
 * canary that fails every other interval still reaches it); inconclusive
 * analyses wait for more data up to maxInconclusive in a row, then the policy's
 * onInconclusive applies.
 */
export function decideAfterAnalysis(
  verdict: CanaryJudgement['verdict'],
  history: AnalysisHistory,
  policy: Pick<AnalysisPolicy, 'failureLimit' | 'maxInconclusive' | 'onInconclusive'>,
): { decision: CanaryDecision; history: AnalysisHistory } {
  if (verdict === 'fail') {
    const failures = history.failures + 1;
    return { decision: failures >= policy.failureLimit ? 'rollback' : 'wait', history: { failures, inconclusive: 0 } };
  }
  if (verdict === 'inconclusive') {
    const inconclusive = history.inconclusive + 1;
    const decision = inconclusive > policy.maxInconclusive ? policy.onInconclusive : 'wait';
    return { decision, history: { failures: history.failures, inconclusive } };
  }
  return { decision: 'continue', history: { failures: history.failures, inconclusive: 0 } };
}
