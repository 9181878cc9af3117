import { judgeErrorRate } from './error-rate.ts';
import type { AnalysisPolicy } from './policy.ts';
import type { CanaryMetrics, RequestCounts } from './ports/metrics.ts';
import { judgeCustomMetric, judgeLatency } from './values.ts';

/**
 * One metric's verdict: `no-data` when the window holds too little to judge it; `pending` when a
 * per-period metric has too few periods only because the traffic is still too young to span them.
 */
export type MetricVerdict = 'pass' | 'fail' | 'no-data' | 'pending';

/** A side of the error-rate comparison. */
export interface ErrorRateSide extends RequestCounts {
  rate: number;
}

/** The error rate judged: counts, rates, the one-sided Fisher p-value and the increase in rate. */
export interface ErrorRateJudgement {
  metric: 'error-rate';
  verdict: MetricVerdict;
  reason: string;
  canary: ErrorRateSide;
  baseline: ErrorRateSide;
  p?: number;
  /** Canary rate minus baseline rate. */
  increase: number;
  maxIncrease: number;
}

/** A side of a per-period comparison: how many periods and their median. */
export interface ValuesSide {
  periods: number;
  median: number;
}

/** Latency or a custom metric judged: medians, the one-sided Mann-Whitney p-value and the change in the harmful direction. */
export interface ValuesJudgement {
  metric: string;
  verdict: MetricVerdict;
  reason: string;
  canary: ValuesSide;
  baseline: ValuesSide;
  p?: number;
  /** The median's change in the harmful direction, relative to the baseline's (absent when that is 0). */
  changeRatio?: number;
}

/** A judged metric. */
export type MetricJudgement = ErrorRateJudgement | ValuesJudgement;

/** Canary versus baseline over one window. */
export interface CanaryJudgement {
  verdict: 'pass' | 'fail' | 'inconclusive';
  reason: string;
  metrics: MetricJudgement[];
}

/**
 * Judges a canary against its baseline over one window: each metric the policy
 * names passes, fails (significantly worse beyond its effect gate), lacks data,
 * or is pending (see below). The overall rule:
 *   - fail if any metric fails, whatever the others lack: a 30% error rate is
 *     rolled back at the first analysis, without waiting for latency periods;
 *   - otherwise inconclusive if any metric lacks data it should have by now;
 *   - otherwise pass if at least one metric passed, naming the pending ones.
 * Why pending metrics do not hold the verdict back: at AWS's resolution (ALB:
 * one datapoint a minute) the rank test needs four periods a side before any
 * result can be significant at p < 0.05, and the window grows by one period a
 * minute, so the first analyses of every release would be inconclusive on
 * latency alone and count towards maxInconclusive, rolling back (or asking
 * about) a canary the error rate already judged. A metric is pending only while
 * the traffic itself (RequestCount's periods) spans too few periods: time
 * brings them, so it is judged a few minutes in, over the whole window
 * (analyses judge everything since the release began), and a failure then rolls
 * back at once. Once the traffic spans enough periods, a metric still short of
 * them is missing and counts as no data.
 */
export function judgeCanary(readings: CanaryMetrics, policy: AnalysisPolicy): CanaryJudgement {
  // Rounded so that 1 - 0.95 is 0.05, not 0.050000000000000044: a p of exactly 0.05 is no difference.
  const alpha = Number((1 - policy.confidence).toPrecision(12));
  const { errorRate, latency, custom } = policy.metrics;
  const metrics: MetricJudgement[] = [
    ...(errorRate
      ? [judgeErrorRate(readings.counts, { alpha, minimumRequests: policy.minimumRequests, ...errorRate })]
      : []),
    ...(latency
      ? [
          judgeLatency(readings.latency, readings.counts, {
            alpha,
            minimumRequests: policy.minimumRequests,
            ...latency,
          }),
        ]
      : []),
    ...custom.map((metric) => {
      const values = readings.custom.find((reading) => reading.name === metric.name) ?? { canary: [], baseline: [] };
      return judgeCustomMetric(metric.name, values, readings.counts, { alpha, ...metric });
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
