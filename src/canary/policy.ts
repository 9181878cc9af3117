/** What the policy does with a canary still short of data once its bake has been extended as far as allowed. */
export type NoDataAction = 'ask' | 'proceed' | 'rollback';

/** How a canary is judged; the catalog's `analysis` block, defaults applied. */
export interface AnalysisPolicy {
  intervalSeconds: number; // analysis interval, default 60 (ALB metrics' resolution)
  confidence: number; // the chance a healthy canary survives the whole release's analyses, default 0.99
  minimumRequests: number; // per side within the window before a pass, default 100 (a significant failure needs none)
  failureLimit: number; // failed analyses before rollback, default 1
  maxExtensionMinutes: number; // how long a paused step waits for the minimum sample beyond its bake, default 30
  onNoData: NoDataAction; // after maxExtensionMinutes without a verdict, default ask
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
  confidence: 0.99,
  minimumRequests: 100,
  failureLimit: 1,
  maxExtensionMinutes: 30,
  onNoData: 'ask',
  askTimeoutSeconds: 1800,
  metrics: {
    errorRate: { maxIncrease: 0.01 },
    latency: { maxIncreaseRatio: 0.2, minIncreaseMs: 5 },
    custom: [],
  },
};

/**
 * The policy fields a release planned before `maxExtensionMinutes` and `onNoData` carries, in their
 * new names: `onInconclusive` (rollback | ask) is `onNoData`; `maxInconclusive` intervals are minutes of extension.
 */
export function renameLegacyFields(policy: unknown): unknown {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return policy;
  const { maxInconclusive, onInconclusive, ...rest } = policy as Record<string, unknown>;
  const interval = typeof rest.intervalSeconds === 'number' ? rest.intervalSeconds : DEFAULT_ANALYSIS.intervalSeconds;
  return {
    ...(typeof maxInconclusive === 'number' && !('maxExtensionMinutes' in rest)
      ? { maxExtensionMinutes: (maxInconclusive * interval) / 60 }
      : {}),
    ...(onInconclusive !== undefined && !('onNoData' in rest) ? { onNoData: onInconclusive } : {}),
    ...rest,
  };
}
