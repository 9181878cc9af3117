import * as z from 'zod';
import { loadBalancerDimension, targetGroupDimension } from './metric-dimensions.ts';
import type { AnalysisPolicy } from './policy.ts';

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

export const analysisPolicySchema: z.ZodType<AnalysisPolicy> = z.object({
  intervalSeconds: z.number().int().positive(),
  confidence: z.number().gt(0).lt(1),
  minimumRequests: count,
  failureLimit: z.number().int().positive(),
  maxInconclusive: count,
  onInconclusive: z.enum(['rollback', 'ask']),
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
});

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
    history: z.object({ failures: count, inconclusive: count }).optional(),
  })
  .refine((input) => input.canaryTargetGroup !== input.baselineTargetGroup, {
    message: 'the canary and baseline target groups must differ',
    path: ['baselineTargetGroup'],
  });
