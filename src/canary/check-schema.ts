import * as z from 'zod';
import { targetAccessSchema } from '../platform/target-access.ts';
import { loadBalancerDimension, targetGroupDimension } from './metric-dimensions.ts';
import { type AnalysisPolicy, renameLegacyFields } from './policy.ts';

// The canary-check function's input as the state machine passes it: the
// policy with the catalog's defaults already applied. Objects are not strict: a
// field added upstream must not fail an analysis that does not read it.

const text = z.string().min(1);
const count = z.number().int().nonnegative();
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
// GetMetricData's periods: 1, 5, 10 or 30 seconds (high resolution) or a multiple of 60.
const period = z
  .number()
  .int()
  .refine((seconds) => [1, 5, 10, 30].includes(seconds) || (seconds > 0 && seconds % 60 === 0), {
    message: 'must be 1, 5, 10, 30 or a multiple of 60 seconds',
  });

export const analysisPolicySchema: z.ZodType<AnalysisPolicy, unknown> = z.preprocess(
  // A release planned before maxExtensionMinutes and onNoData carries their old names.
  renameLegacyFields,
  z.object({
    intervalSeconds: z.number().int().positive(),
    confidence: z.number().gt(0).lt(1),
    minimumRequests: count,
    failureLimit: z.number().int().positive(),
    maxExtensionMinutes: z.number().min(0),
    onNoData: z.enum(['ask', 'proceed', 'rollback']),
    // canary-check does not read it; a release planned before it existed still has a policy.
    askTimeoutSeconds: z.number().int().positive().default(1800),
    metrics: z.object({
      errorRate: z.object({ maxIncrease: z.number().min(0).max(1) }).optional(),
      latency: z.object({ maxIncreaseRatio: z.number().min(0), minIncreaseMs: z.number().min(0) }).optional(),
      custom: z.array(
        z.object({
          name: text,
          namespace: text,
          metricName: text,
          dimensions: z.array(z.object({ name: text, value: text })),
          statistic: text,
          direction: z.enum(['increase-is-bad', 'decrease-is-bad']),
          maxChangeRatio: z.number().min(0),
        }),
      ),
    }),
  }),
);

/** The analyses of one step: failures, inconclusive ones in a row, and those at a paused hook (absent before it existed). */
export const analysisHistorySchema = z.object({ failures: count, inconclusive: count, extended: count.default(0) });

/** What the whole release's analyses carry from step to step (Advance starts a step's history afresh, not this). */
export const releaseAnalysesSchema = z.object({ analyses: count });

const targetGroup = z
  .string()
  .transform(targetGroupDimension)
  .pipe(z.string().regex(/^targetgroup\/[^/]+\/[^/]+$/, 'must be the ARN suffix targetgroup/<name>/<id> or its ARN'));

export const canaryCheckRequestSchema = z
  .object({
    // The dimension values, or the catalog's ARNs they are read from.
    loadBalancer: z
      .string()
      .transform(loadBalancerDimension)
      .pipe(
        z.string().regex(/^app\/[^/]+\/[^/]+$/, 'must be the ARN suffix app/<name>/<id> or an ALB listener rule ARN'),
      ),
    canaryTargetGroup: targetGroup,
    baselineTargetGroup: targetGroup,
    window: z.union([
      z.object({ start: instant, end: instant }),
      z.object({ seconds: z.number().int().positive() }),
      // Before `since` alone: a union takes its first match, and that would drop baselineBefore.
      z.object({ since: instant, baselineBefore: instant }),
      z.object({ since: instant }),
    ]),
    // The length of the periods latency and custom metrics are compared over; ALB metrics' resolution by default.
    periodSeconds: period.default(60),
    policy: analysisPolicySchema,
    history: analysisHistorySchema.optional(),
    release: releaseAnalysesSchema.optional(),
    // CheckRollout's status: PAUSED while ECS waits at the step's hook, its bake over.
    rolloutStatus: z.string().optional(),
    // Where the load balancer's metrics are (the release's target.access) and the release reading them:
    // CloudWatch in that account and region, through the role's session named for the release.
    access: targetAccessSchema.optional(),
    releaseId: z.string().min(1).optional(),
  })
  .refine((input) => input.canaryTargetGroup !== input.baselineTargetGroup, {
    message: 'the canary and baseline target groups must differ',
    path: ['baselineTargetGroup'],
  });

// The analysis's result, as the state machine keeps it: figures per metric, never datapoints,
// so its size is bounded by the number of metrics the policy names.

const verdict = z.enum(['pass', 'fail', 'no-data', 'pending']);

// The sequential test's figures: the always-valid p, its log likelihood ratio and the level this look used.
const evidence = {
  p: z.number().min(0).max(1).optional(),
  logRatio: z.number().optional(),
  alpha: z.number().gt(0).lt(1).optional(),
};

const errorRateSideSchema = z.object({ requests: count, errors: count, rate: z.number(), periods: count.optional() });

export const errorRateJudgementSchema = z.object({
  metric: z.literal('error-rate'),
  verdict,
  reason: z.string(),
  canary: errorRateSideSchema,
  baseline: errorRateSideSchema,
  ...evidence,
  /** Canary rate minus baseline rate. */
  increase: z.number(),
  maxIncrease: z.number(),
});

/** A side of a per-period comparison: how many periods, their median and the newest period's value (absent with none). */
const valuesSideSchema = z.object({ periods: count, median: z.number().optional(), latest: z.number().optional() });

export const valuesJudgementSchema = z.object({
  metric: z.string(),
  verdict,
  reason: z.string(),
  canary: valuesSideSchema,
  baseline: valuesSideSchema,
  ...evidence,
  /** The median's change in the harmful direction, relative to the baseline's (absent when that is 0). */
  changeRatio: z.number().optional(),
});

export const canaryJudgementSchema = z.object({
  verdict: z.enum(['pass', 'fail', 'inconclusive']),
  reason: z.string(),
  metrics: z.array(z.union([errorRateJudgementSchema, valuesJudgementSchema])),
});

const isoWindow = z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) });

export const canaryCheckResultSchema = canaryJudgementSchema.extend({
  decision: z.enum(['continue', 'rollback', 'wait', 'extend', 'ask']),
  /** To pass back with the step's next analysis. */
  history: analysisHistorySchema,
  /** To pass back with the release's next analysis, whatever step it is in. */
  release: releaseAnalysesSchema,
  /** The canary's window; `baseline` when the baseline was read over its own (before the release). */
  window: isoWindow.extend({ baseline: isoWindow.optional() }),
});
