import type * as z from 'zod';
import type { canaryJudgementSchema, errorRateJudgementSchema, valuesJudgementSchema } from './check-schema.ts';
import { judgeErrorRate } from './error-rate.ts';
import type { AnalysisPolicy } from './policy.ts';
import type { CanaryMetrics } from './ports/metrics.ts';
import { judgeCustomMetric, judgeLatency } from './values.ts';

/**
 * One metric's verdict: `no-data` when the window holds too little to judge it; `pending` when a
 * per-period metric has too few periods only because the traffic is still too young to span them.
 */
export type MetricVerdict = z.output<typeof errorRateJudgementSchema>['verdict'];

/** The error rate judged: counts, rates, the sequential test's figures and the increase in rate. */
export type ErrorRateJudgement = z.output<typeof errorRateJudgementSchema>;

/** A side of the error-rate comparison. */
export type ErrorRateSide = ErrorRateJudgement['canary'];

/** Latency or a custom metric judged: medians, the sequential test's figures and the change in the harmful direction. */
export type ValuesJudgement = z.output<typeof valuesJudgementSchema>;

/** A side of a per-period comparison: how many periods and their median. */
export type ValuesSide = ValuesJudgement['canary'];

/** A judged metric. */
export type MetricJudgement = ErrorRateJudgement | ValuesJudgement;

/** Canary versus baseline over one window. */
export type CanaryJudgement = z.output<typeof canaryJudgementSchema>;

/**
 * The release's two sequences of windows: both revisions sharing production
 * (canary and linear steps), then all of it on the new revision (compared
 * with the stable revision before the release), each a fresh sequence.
 */
export type AnalysisSequence = 'shared' | 'shifted';

// How 1 - confidence is split between the sequences: the shared one judges a
// canary on its small share of the traffic, where a bad one must be caught
// while few users see it; the shifted one has all of production on the new
// revision (ten times a 10% canary's data), so a tenth of the budget buys it
// nearly the same power. Within the shared sequence latency takes two shares
// and every other metric one: its per-minute test has the fewest points to
// work with (one a minute), the error rate's thousands of requests. Chosen in
// the canary lab (README).
const SEQUENCE_SHARE: Record<AnalysisSequence, number> = { shared: 0.9, shifted: 0.1 };
const LATENCY_SHARES: Record<AnalysisSequence, number> = { shared: 2, shifted: 1 };

/** Each metric's significance level in one sequence of windows. */
export interface MetricAlphas {
  errorRate: number;
  latency: number;
  /** Each custom metric's. */
  custom: number;
}

/**
 * The significance level of each metric's sequential test: 1 - confidence is
 * what the whole release may spend on false rollbacks. Each metric's test is
 * always valid (its false-rollback chance stays under its level however many
 * analyses look at it), so the release's bound is the sum over its tests: the
 * budget is split between the release's two sequences of windows, then
 * between the metrics the policy names (SEQUENCE_SHARE, LATENCY_SHARES).
 */
export function metricAlphas(
  policy: Pick<AnalysisPolicy, 'confidence' | 'metrics'>,
  sequence: AnalysisSequence = 'shared',
): MetricAlphas {
  const { errorRate, latency, custom } = policy.metrics;
  const latencyShares = latency ? LATENCY_SHARES[sequence] : 0;
  const shares = (errorRate ? 1 : 0) + latencyShares + custom.length;
  // Rounded so that 1 - 0.99 is 0.01, not 0.010000000000000009.
  const budget = Number((1 - policy.confidence).toPrecision(12)) * SEQUENCE_SHARE[sequence];
  const share = (count: number) => Number(((budget * count) / Math.max(shares, 1)).toPrecision(12));
  return { errorRate: share(1), latency: share(LATENCY_SHARES[sequence]), custom: share(1) };
}

/**
 * Judges a canary against its baseline over one window: each metric the policy
 * names passes, fails (significantly worse beyond its effect gate), lacks data,
 * or is pending (see below). The overall rule:
 *   - fail if any metric fails, whatever the others lack: a 30% error rate is
 *     rolled back at the first analysis, without waiting for latency periods
 *     or for the minimum sample (a failure that is significant on few requests
 *     is significant);
 *   - otherwise inconclusive if any metric lacks data it should have by now;
 *   - otherwise pass if at least one metric passed, naming the pending ones.
 * A metric is pending only while the traffic itself (RequestCount's periods)
 * spans too few periods for its test to reach its level at all: time brings
 * them. Once the traffic spans enough, a metric still short of them is missing.
 */
export function judgeCanary(
  readings: CanaryMetrics,
  policy: AnalysisPolicy,
  sequence: AnalysisSequence = 'shared',
): CanaryJudgement {
  const alpha = metricAlphas(policy, sequence);
  const { errorRate, latency, custom } = policy.metrics;
  const metrics: MetricJudgement[] = [
    ...(errorRate
      ? [
          judgeErrorRate(readings.counts, {
            alpha: alpha.errorRate,
            minimumRequests: policy.minimumRequests,
            ...errorRate,
          }),
        ]
      : []),
    ...(latency
      ? [
          judgeLatency(
            readings.latency,
            readings.counts,
            { alpha: alpha.latency, minimumRequests: policy.minimumRequests, ...latency },
            readings.latencyHistory,
          ),
        ]
      : []),
    ...custom.map((metric) => {
      const values = readings.custom.find((reading) => reading.name === metric.name) ?? { canary: [], baseline: [] };
      return judgeCustomMetric(metric.name, values, readings.counts, { alpha: alpha.custom, ...metric });
    }),
  ];
  const failed = metrics.filter((metric) => metric.verdict === 'fail');
  if (failed.length > 0) return { verdict: 'fail', reason: reasons(failed), metrics };
  const missing = metrics.filter((metric) => metric.verdict === 'no-data');
  if (missing.length > 0) return { verdict: 'inconclusive', reason: reasons(missing), metrics };
  if (metrics.length === 0) return { verdict: 'pass', reason: 'no metric to judge', metrics };
  // Only pending metrics: nothing was judged yet.
  if (metrics.every((metric) => metric.verdict === 'pending')) {
    return { verdict: 'inconclusive', reason: reasons(metrics), metrics };
  }
  return { verdict: 'pass', reason: reasons(metrics), metrics };
}

const reasons = (metrics: MetricJudgement[]): string => metrics.map((metric) => metric.reason).join('; ');
