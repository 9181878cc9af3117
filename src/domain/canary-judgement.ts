import type { CanaryMetrics, RequestCounts } from '../ports/metrics.ts';
import { judgeErrorRate } from './canary-error-rate.ts';
import type { AnalysisPolicy } from './canary-policy.ts';
import { judgeCustomMetric, judgeLatency } from './canary-values.ts';

/** One metric's verdict: `no-data` when the window holds too little to judge it. */
export type MetricVerdict = 'pass' | 'fail' | 'no-data';

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
 * names passes, fails (significantly worse beyond its effect gate) or lacks data.
 * One failing metric fails the canary, whatever the others lack; otherwise a
 * metric without data leaves it inconclusive.
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
      return judgeCustomMetric(metric.name, values, { alpha, ...metric });
    }),
  ];
  const failed = metrics.filter((metric) => metric.verdict === 'fail');
  if (failed.length > 0) return { verdict: 'fail', reason: reasons(failed), metrics };
  const missing = metrics.filter((metric) => metric.verdict === 'no-data');
  if (missing.length > 0) return { verdict: 'inconclusive', reason: reasons(missing), metrics };
  if (metrics.length === 0) return { verdict: 'pass', reason: 'no metric to judge', metrics };
  return { verdict: 'pass', reason: reasons(metrics), metrics };
}

const reasons = (metrics: MetricJudgement[]): string => metrics.map((metric) => metric.reason).join('; ');
