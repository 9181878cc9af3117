import * as z from 'zod';
import { type AnalysisPolicy, renameLegacyFields } from '../canary/index.ts';

// The catalog's `analysis` block: how canary-check judges a canary against its
// baseline at each paused step of a canary, linear or blue-green release.

/** The analysis policy a release carries, defaults applied: canary-check's own type. */
export type { AnalysisPolicy };

// ALB metrics (RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime)
// have one data point a minute: a shorter interval would judge the same minute twice.
export const ANALYSIS_RESOLUTION_SECONDS = 60;

const errorRateSchema = z.strictObject({
  // Absolute: 0.01 lets the canary's 5xx rate exceed the baseline's by one percentage point.
  maxIncrease: z.number().gt(0).max(1).default(0.01),
});

const latencySchema = z.strictObject({
  maxIncreaseRatio: z.number().gt(0).max(10).default(0.2),
  // A difference smaller than this never fails a release, however "significant".
  minIncreaseMs: z.number().min(0).max(60_000).default(5),
});

// CloudWatch's statistics: the five plain ones, or a percentile such as p99 or p99.9.
const STATISTIC = /^(?:SampleCount|Average|Sum|Minimum|Maximum|p(?:100|[1-9]?\d)(?:\.\d{1,2})?)$/;

const customMetricSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-zA-Z0-9-]{0,39}$/, {
    message: 'must be a short name: a lower-case letter, then letters, digits and dashes',
  }),
  namespace: z.string().min(1).max(255),
  metricName: z.string().min(1).max(255),
  // GetMetricData takes at most 30 dimensions per metric.
  dimensions: z
    .array(z.strictObject({ name: z.string().min(1).max(255), value: z.string().min(1).max(1024) }))
    .max(30)
    .default([]),
  statistic: z.string().regex(STATISTIC, {
    message: 'must be a CloudWatch statistic: SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p99',
  }),
  direction: z.enum(['increase-is-bad', 'decrease-is-bad']),
  maxChangeRatio: z.number().gt(0).max(10),
});

const MAX_CUSTOM_METRICS = 20;

const DEFAULT_METRICS = { errorRate: { maxIncrease: 0.01 }, latency: { maxIncreaseRatio: 0.2, minIncreaseMs: 5 } };

const metricsSchema = z
  .strictObject({
    errorRate: errorRateSchema.optional(),
    latency: latencySchema.optional(),
    // Each is judged and kept in the release's state data (256 KB at most): a bounded list keeps it small.
    custom: z
      .array(customMetricSchema)
      .max(MAX_CUSTOM_METRICS, { message: `at most ${MAX_CUSTOM_METRICS} custom metrics` })
      .default([]),
  })
  .refine((metrics) => metrics.errorRate !== undefined || metrics.latency !== undefined || metrics.custom.length > 0, {
    message: 'needs at least one metric: errorRate, latency or a custom one',
  })
  .refine((metrics) => new Set(metrics.custom.map((metric) => metric.name)).size === metrics.custom.length, {
    message: 'custom metric names must be unique',
    path: ['custom'],
  });

// ECS takes a PAUSE hook's timeout action after at most 24 hours
// (lifecycleHooks[].timeoutConfiguration.timeoutInMinutes, 1440 by default and at most):
// a step extended longer would be decided by ECS, not by the policy.
export const PAUSED_HOOK_LIMIT_MINUTES = 1440;

const LEGACY_FIELDS = { maxInconclusive: 'maxExtensionMinutes', onInconclusive: 'onNoData' } as const;

/** The `analysis` block; absent fields take defaults, an absent `metrics` judges the error rate and the latency. */
export const analysisSchema: z.ZodType<AnalysisPolicy, unknown> = z.preprocess(
  (block, context) => {
    if (typeof block !== 'object' || block === null) return block;
    for (const [legacy, current] of Object.entries(LEGACY_FIELDS)) {
      if (legacy in block && current in block) {
        context.addIssue({
          code: 'custom',
          path: [legacy],
          message: `is the old name of ${current}: give ${current} alone`,
        });
      }
    }
    return renameLegacyFields(block);
  },
  z
    .strictObject({
      intervalSeconds: z
        .number()
        .int()
        .max(3600)
        .refine((seconds) => seconds >= ANALYSIS_RESOLUTION_SECONDS && seconds % ANALYSIS_RESOLUTION_SECONDS === 0, {
          message: `must be whole minutes, at least ${ANALYSIS_RESOLUTION_SECONDS} s: the load balancer's metrics have one data point a minute`,
        })
        .default(60),
      // The chance a healthy canary survives the whole release: 0.99 keeps false rollbacks under 1 in 100 releases.
      confidence: z
        .number()
        .gt(0.5, { message: 'must be above 0.5 and below 0.999 (0.99 is the default)' })
        .lt(0.999, { message: 'must be above 0.5 and below 0.999 (0.99 is the default)' })
        .default(0.99),
      minimumRequests: z.number().int().min(1).default(100),
      failureLimit: z.number().int().min(1).max(100).default(1),
      // Half an hour past the bake: a service at 120 requests a minute reaches 100 canary requests at 5% within it.
      maxExtensionMinutes: z
        .number()
        .min(0)
        .max(PAUSED_HOOK_LIMIT_MINUTES, {
          message: `must be at most ${PAUSED_HOOK_LIMIT_MINUTES} (24 hours): ECS ends a paused lifecycle hook then`,
        })
        .default(30),
      onNoData: z.enum(['ask', 'proceed', 'rollback'], { message: 'must be ask, proceed or rollback' }).default('ask'),
      // Half an hour: the canary's hook stays paused and both revisions run meanwhile; the lock's lease covers it.
      askTimeoutSeconds: z.number().int().min(1).max(86_400).default(1800),
      metrics: metricsSchema.default({ ...DEFAULT_METRICS, custom: [] }),
    })
    .refine(
      (policy) =>
        // Each out of its own range already has its own message.
        policy.maxExtensionMinutes > PAUSED_HOOK_LIMIT_MINUTES ||
        policy.askTimeoutSeconds > 86_400 ||
        policy.maxExtensionMinutes * 60 + (policy.onNoData === 'ask' ? policy.askTimeoutSeconds : 0) <=
          PAUSED_HOOK_LIMIT_MINUTES * 60,
      {
        message: `with onNoData: ask, maxExtensionMinutes and askTimeoutSeconds must fit in ${PAUSED_HOOK_LIMIT_MINUTES} minutes together: the step waits paused at its lifecycle hook all that time, and ECS ends the pause then`,
        path: ['maxExtensionMinutes'],
      },
    ),
);

/** The policy of a native release whose catalog entry has no `analysis` block. */
export function defaultAnalysis(): AnalysisPolicy {
  return analysisSchema.parse({});
}
