import * as z from 'zod';
import { smokeCheckSchema } from '../catalog/schema.ts';
import { checkStrategy, strategyFields, strategySchema } from '../catalog/strategy.ts';
import { keptAnalysisSchema } from './kept-analyses.ts';
import type { StoredRelease } from './ports/release-store.ts';
import {
  type AlreadyLive,
  type AnalysisSummary,
  APPROVAL_VERDICTS,
  type ApprovalDecisionRecord,
  type CaughtError,
  CONTROL_ACTIONS,
  type ControlRequest,
  type DeployResult,
  type GitHubReleaseSource,
  NOTIFY_EVENTS,
  RELEASE_OUTCOMES,
  type RefusedTarget,
  type ReleaseRequest,
  type ReleaseTarget,
  ROLLOUT_MODES,
  type StabilityQuery,
  TRIGGER_SOURCES,
  type Trigger,
} from './release.ts';

// Schemas of the release contracts (release.ts) for the functions that receive
// them from the state machine. Objects are not strict: a field added upstream
// must not fail a release that does not read it.

const instant = z.iso.datetime({ offset: true });
const text = z.string().min(1);

// The strategy fields are checked as the catalog checks them, so a hand-made
// request cannot start a canary without its load balancer.
export const releaseTargetSchema: z.ZodType<ReleaseTarget> = z
  .object({
    service: text,
    environment: text,
    cluster: text,
    ecsService: text,
    container: text,
    ...strategyFields,
    strategy: strategySchema,
    smoke: z.array(smokeCheckSchema),
    testSmoke: z.array(smokeCheckSchema).optional(),
    stabilityDeadlineSeconds: z.number().int().positive(),
    slackChannel: text,
    approval: z.object({ via: z.literal('slack'), timeoutSeconds: z.number().int().positive() }).optional(),
  })
  .superRefine(checkStrategy);

const triggerSchema: z.ZodType<Trigger> = z.object({ source: z.enum(TRIGGER_SOURCES), eventId: text, at: instant });

export const gitHubReleaseSourceSchema: z.ZodType<GitHubReleaseSource> = z.object({
  kind: z.literal('github-release'),
  repository: text,
  tag: text,
  commit: text,
  author: text,
  url: text,
  deliveryId: text,
  prerelease: z.boolean(),
});

export const releaseRequestSchema: z.ZodType<ReleaseRequest> = z.object({
  releaseId: text,
  target: releaseTargetSchema,
  image: z.object({ repository: text, tag: text, digest: text, uri: text, pushedAt: instant }),
  trigger: triggerSchema,
  source: gitHubReleaseSourceSchema.optional(),
  currentTaskDefinitionArn: text,
  noop: text.optional(),
  lockWaitDeadline: instant,
  requestedBy: z.object({ name: text, slackUserId: text.optional() }).optional(),
  hotfix: z.boolean().optional(),
});

export const refusedTargetSchema: z.ZodType<RefusedTarget> = z.object({
  service: text,
  environment: text,
  reason: text,
  slackChannel: text.optional(),
  source: gitHubReleaseSourceSchema.optional(),
});

export const deployResultSchema: z.ZodType<DeployResult, unknown> = z.object({
  // A result from before strategies existed was a rolling update's.
  strategy: strategySchema.default('rolling'),
  previousTaskDefinitionArn: text,
  taskDefinitionArn: text,
  serviceDeploymentArn: text,
  startedAt: instant,
  deadline: instant,
  targetGroups: z.object({ canary: text, baseline: text }).optional(),
  hotfix: z.boolean().optional(),
});

export const alreadyLiveSchema: z.ZodType<AlreadyLive> = z.object({ noop: text, taskDefinitionArn: text });

export const stabilityQuerySchema: z.ZodType<StabilityQuery> = z.object({
  cluster: text,
  ecsService: text,
  serviceDeploymentArn: text,
  taskDefinitionArn: text,
  deadline: instant,
  mode: z.enum(ROLLOUT_MODES),
  control: z
    .object({
      lockKey: text,
      releaseId: text,
      lease: z.object({ executionId: text, seconds: z.number().int().positive() }).optional(),
    })
    .optional(),
  rotationLease: z.object({ parameter: text, rotationId: text, seconds: z.number().int().positive() }).optional(),
  native: z
    .object({
      intervalSeconds: z.number().int().positive(),
      since: instant,
      releaseStartedAt: instant,
      stepStartedAt: instant,
      hotfix: z.boolean().optional(),
    })
    .optional(),
});

export const controlRequestSchema: z.ZodType<ControlRequest> = z.object({
  action: z.enum(CONTROL_ACTIONS),
  releaseId: text,
  requestedBy: text,
  requestedAt: instant,
});

export const analysisSummarySchema: z.ZodType<AnalysisSummary> = z.object({
  verdict: text,
  decision: text,
  reason: text,
  window: z.object({ start: instant, end: instant }),
});

export const caughtErrorSchema: z.ZodType<CaughtError> = z.object({
  Error: z.string(),
  Cause: z.string().optional(),
});

export const releaseOutcomeSchema = z.enum(RELEASE_OUTCOMES);

export const approvalDecisionSchema: z.ZodType<ApprovalDecisionRecord> = z.object({
  approvalId: text,
  verdict: z.enum(APPROVAL_VERDICTS),
  by: text,
  at: instant,
  reason: z.string().optional(),
});

export const notifyEventSchema = z.enum(NOTIFY_EVENTS);

/** A release record as the releases table holds it (what claim and finish wrote). */
export const storedReleaseSchema: z.ZodType<StoredRelease> = z.object({
  releaseId: text,
  executionId: text,
  target: text,
  service: text,
  environment: text,
  trigger: triggerSchema,
  source: gitHubReleaseSourceSchema.optional(),
  repository: text,
  tag: text,
  digest: text,
  image: text,
  previousTaskDefinitionArn: z.string().optional(),
  taskDefinitionArn: z.string().optional(),
  serviceDeploymentArn: z.string().optional(),
  startedAt: instant,
  endedAt: instant.optional(),
  outcome: releaseOutcomeSchema,
  reason: z.string().optional(),
  analysis: analysisSummarySchema.optional(),
  analyses: z.array(keptAnalysisSchema).optional(),
  analysesRecorded: z.number().int().nonnegative().optional(),
  control: controlRequestSchema.optional(),
  decisions: z.array(approvalDecisionSchema).optional(),
});
