import type { CanaryCheckRequest } from '../../../src/canary/check.ts';
import { rankSumGreater } from '../../../src/canary/statistics/rank-sum.ts';
import type { LabJudge } from '../../canary-lab/judge.ts';
import { ERROR_RATE_METRIC } from '../../canary-lab/metrics.ts';
import { windowQuery } from './query.ts';

// A REFERENCE IMPLEMENTATION of Kayenta's NetflixACAJudge as documented, for the
// bench only; not Kayenta's code. From https://spinnaker.io/docs/guides/user/canary/judge/:
//   1. a metric with no data on either side is NODATA and does not fail the canary;
//   2. each metric's canary series is compared with the baseline's by a
//      Mann-Whitney U test (NetflixACAJudge: 98 % confidence) and classified High,
//      Low or Pass; here both metrics (the 5xx rate and the latency, one value a
//      minute) are bad when they increase, so only High counts against the canary;
//   3. the score is the share of classified metrics that pass, × 100;
//   4. the score is classified by the canary config's thresholds: below
//      `marginal` the canary fails, from `pass` it passes
//      (https://spinnaker.io/docs/guides/user/canary/stage/; 75 and 95 here). With
//      two metrics the score is 0, 50 or 100, so any marginal in (50, 100] judges alike.
// Every lab analysis is one canary run over the data since the release began
// (Spinnaker's real-time analysis over a growing window). Simplifications: High
// when the one-sided rank-sum p-value (src/canary/statistics/rank-sum.ts) is
// below 0.01, which is where the two-sided 98 % interval of the shift leaves 0
// (Kayenta also asks the interval to clear a quarter of the Hodges-Lehmann
// estimate, and first removes outliers by IQR); no metric groups or weights.

const ONE_SIDED_ALPHA = (1 - 0.98) / 2;
const MARGINAL = 75;

/** Kayenta's NetflixACAJudge over the 5xx rate and the latency: Mann-Whitney per metric, the score against marginal 75. */
export const kayentaJudge: LabJudge<undefined> = {
  name: 'Kayenta',
  resetsAtNextStep: true,
  async analyse(request, { metrics, now }) {
    const readings = await metrics.readCanaryMetrics(runQuery(request, now()));
    const errorRates = readings.custom.find((metric) => metric.name === 'error-rate') ?? { canary: [], baseline: [] };
    const classified = [errorRates, readings.latency].flatMap(({ canary, baseline }) => {
      if (canary.length === 0 || baseline.length === 0) return []; // NODATA
      return [rankSumGreater(canary, baseline).p < ONE_SIDED_ALPHA ? 'High' : 'Pass'];
    });
    if (classified.length === 0) return { decision: 'continue', verdict: 'inconclusive', state: undefined };
    const score = (100 * classified.filter((metric) => metric === 'Pass').length) / classified.length;
    return score < MARGINAL
      ? { decision: 'rollback', verdict: 'fail', state: undefined }
      : { decision: 'continue', verdict: 'pass', state: undefined };
  },
};

// The request's window, as checkCanary resolves it, with the per-minute 5xx rate the lab serves.
function runQuery(request: CanaryCheckRequest, now: Date) {
  const custom = [
    {
      name: 'error-rate',
      namespace: 'CanaryLab',
      metricName: ERROR_RATE_METRIC,
      statistic: 'Average',
      dimensions: { canary: [], baseline: [] },
    },
  ];
  const { window } = request;
  if ('start' in window) return windowQuery(request, window.start, window.end, { custom });
  if ('seconds' in window)
    return windowQuery(request, new Date(now.getTime() - window.seconds * 1000), now, { custom });
  if (!('baselineBefore' in window)) return windowQuery(request, window.since, now, { custom });
  const length = now.getTime() - window.since.getTime();
  const baselineWindow = { start: new Date(window.baselineBefore.getTime() - length), end: window.baselineBefore };
  return windowQuery(request, window.since, now, { custom, baselineWindow });
}
