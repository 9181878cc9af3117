import type { LabJudge } from '../../canary-lab/judge.ts';
import { RELEASE_START } from '../../canary-lab/metrics.ts';
import { lastMinutes } from './query.ts';

// A REFERENCE IMPLEMENTATION of Argo Rollouts' documented rule, for the bench
// only; not Argo's code. From https://argoproj.github.io/argo-rollouts/features/analysis/
// ("Background Analysis"): the `success-rate` AnalysisTemplate measures the
// success rate every `interval: 5m` over the last 5 minutes, `successCondition:
// result[0] >= 0.95`, `failureLimit: 3`; "If the metric is less than 95%, and there
// are three such measurements, the analysis is considered Failed", which aborts
// the rollout. The analysis runs in the background: steps advance on their own
// pauses, so a failed measurement does not hold a step back. Simplifications:
// the measurement is the plain success rate over 5 minutes (the example's irate
// is the last two samples' slope); a measurement without requests (0/0, NaN)
// fails its condition.

const INTERVAL_MS = 5 * 60_000;
const SUCCESS_RATE = 0.95;
const FAILURE_LIMIT = 3;

/** The analysis run's failed measurements and when it last measured. */
interface ArgoState {
  failures: number;
  measuredAt: number;
}

/** Argo Rollouts' success-rate analysis: ≥ 95 % every 5 minutes, failed at the third failed measurement. */
export const argoRolloutsJudge: LabJudge<ArgoState> = {
  name: 'Argo Rollouts',
  // One AnalysisRun for the whole rollout, in the background of its steps.
  resetsAtNextStep: false,
  async analyse(request, { metrics, now }, state) {
    const at = now().getTime();
    const last = state ?? { failures: 0, measuredAt: RELEASE_START.getTime() };
    if (at - last.measuredAt < INTERVAL_MS) return { decision: 'continue', verdict: 'pass', state: last };
    const { counts } = await metrics.readCanaryMetrics(lastMinutes(request, now(), 5));
    const { requests, errors } = counts.canary;
    const successful = requests > 0 && (requests - errors) / requests >= SUCCESS_RATE;
    const failures = last.failures + (successful ? 0 : 1);
    const next = { failures, measuredAt: at };
    if (failures >= FAILURE_LIMIT) {
      return { decision: 'rollback', verdict: requests > 0 ? 'fail' : 'inconclusive', state: next };
    }
    return { decision: 'continue', verdict: successful ? 'pass' : 'fail', state: next };
  },
};
