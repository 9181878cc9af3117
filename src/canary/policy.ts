/** How a canary is judged; the catalog's `analysis` block, defaults applied. */
export interface AnalysisPolicy {
  intervalSeconds: number; // analysis interval, default 60 (ALB metrics' resolution)
  confidence: number; // e.g. 0.95: a difference counts when p < 1 - confidence
  minimumRequests: number; // per side within the window before a verdict, default 100
  failureLimit: number; // failed analyses before rollback, default 1
  maxInconclusive: number; // intervals of waiting for more data, default 3
  onInconclusive: 'rollback' | 'ask'; // after maxInconclusive
  askTimeoutSeconds: number; // how long `ask` waits for a person's answer in Slack before rolling back, default 1800
  metrics: {
    errorRate?: { maxIncrease: number }; // effect gate: absolute increase of the 5xx rate tolerated, default 0.01
    latency?: { maxIncreaseRatio: number; minIncreaseMs: number }; // effect gate, defaults 0.2 and 5
    custom: CustomMetricPolicy[];
  };
}

/** A CloudWatch metric judged like latency, in the direction that hurts. */
export interface CustomMetricPolicy {
  name: string;
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  statistic: string; // Average, Sum, p99, ...
  direction: 'increase-is-bad' | 'decrease-is-bad';
  maxChangeRatio: number;
}

export const DEFAULT_ANALYSIS: AnalysisPolicy = {
  intervalSeconds: 60,
  confidence: 0.95,
  minimumRequests: 100,
  failureLimit: 1,
  maxInconclusive: 3,
  onInconclusive: 'rollback',
  askTimeoutSeconds: 1800,
  metrics: {
    errorRate: { maxIncrease: 0.01 },
    latency: { maxIncreaseRatio: 0.2, minIncreaseMs: 5 },
    custom: [],
  },
};
