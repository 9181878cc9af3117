import type { LabJudge } from '../../canary-lab/judge.ts';
import { lastMinutes } from './query.ts';

// A REFERENCE IMPLEMENTATION of Flagger's documented rule, for the bench only;
// not Flagger's code. From Flagger's documentation:
//   - https://docs.flagger.app/usage/metrics: the builtin `request-success-rate`
//     check, `interval: 1m`, `thresholdRange: { min: 99 }` (non-5xx responses, %);
//   - https://docs.flagger.app/usage/deployment-strategies (canary analysis):
//     `interval: 1m` schedule, `threshold: 5`, "max number of failed metric checks
//     before rollback"; a failed check halts advancement until the next interval.
// The canary alone is checked, against the absolute threshold: no baseline. A
// check that finds no requests counts as failed ("no values found" halts
// advancement and counts toward the threshold).

const MIN_SUCCESS_RATE = 0.99;
const THRESHOLD = 5;

/** Failed checks so far in the canary analysis. */
interface FlaggerState {
  failedChecks: number;
}

/** Flagger's request-success-rate check (≥ 99 % over the last minute), rollback at the 5th failed check. */
export const flaggerJudge: LabJudge<FlaggerState> = {
  name: 'Flagger',
  // Flagger's failed-checks counter belongs to the whole analysis, not to one weight step.
  resetsAtNextStep: false,
  async analyse(request, { metrics, now }, state) {
    const { counts } = await metrics.readCanaryMetrics(lastMinutes(request, now(), 1));
    const { requests, errors } = counts.canary;
    const passed = requests > 0 && (requests - errors) / requests >= MIN_SUCCESS_RATE;
    if (passed) return { decision: 'continue', verdict: 'pass', state: state ?? { failedChecks: 0 } };
    const failedChecks = (state?.failedChecks ?? 0) + 1;
    const verdict = requests > 0 ? 'fail' : 'inconclusive';
    return { decision: failedChecks >= THRESHOLD ? 'rollback' : 'wait', verdict, state: { failedChecks } };
  },
};
