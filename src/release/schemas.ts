import * as z from 'zod';
import { checkStrategy, smokeCheckSchema, strategyFields, strategySchema } from '../catalog/index.ts';
import { targetAccessSchema } from '../platform/target-access.ts';
import type { CaughtError } from './caught-error.ts';
import { keptAnalysisSchema } from './kept-analyses.ts';
import type { StoredRelease } from './ports/release-store.ts';
import { type AnalysisSummary, APPROVAL_VERDICTS, type ApprovalDecisionRecord, RELEASE_OUTCOMES } from './record.ts';
import {
  type GitHubReleaseSource,
  NOTIFY_EVENTS,
  type RefusedTarget,
  type ReleaseTarget,
  TRIGGER_SOURCES,
  type Trigger,
} from './release.ts';
import { CONTROL_ACTIONS, type ControlRequest, ROLLOUT_MODES } from './rollout-state.ts';
import { scanSummarySchema } from './scan-gate.ts';

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
    access: targetAccessSchema.optional(),
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

/** An image pinned by digest (ImageRef). */
export const imageRefSchema = z.object({
  repository: text,
  tag: text,
  digest: text,
  /** `registry/repository@digest`: what goes into the task definition. */
  uri: text,
  /** When the registry stored the image (ISO 8601, milliseconds); with the trigger's time, orders pushes. */
  pushedAt: instant,
});

/** Who asked for a release (Requester). */
export const requesterSchema = z.object({ name: text, slackUserId: text.optional() });

/** A planned release of one image to one target (ReleaseRequest). */
export const releaseRequestSchema = z.object({
  /** Deterministic from the trigger and the target: the same event gives the same id. */
  releaseId: text,
  target: releaseTargetSchema,
  image: imageRefSchema,
  trigger: triggerSchema,
  /** For a release from a GitHub release: its facts (tag, commit, author, link). */
  source: gitHubReleaseSourceSchema.optional(),
  /** The revision running when planned (informative; deploy reads it again). */
  currentTaskDefinitionArn: text,
  /** Set when the image is already live: nothing to deploy, and why. */
  noop: text.optional(),
  /** Give up waiting for another release of the same target after this (ISO 8601). */
  lockWaitDeadline: instant,
  /** Who asked; an approver can never be the one who asked where the two-person rule holds. */
  requestedBy: requesterSchema.optional(),
  /** `/release deploy --hotfix` and `/release rollback`: skip canary steps (never the smoke test or rollback). */
  hotfix: z.boolean().optional(),
  /** What ECR's scan found, when the target's environment has a scan gate (plan judged it). */
  scan: scanSummarySchema.optional(),
});

export const refusedTargetSchema: z.ZodType<RefusedTarget> = z.object({
  service: text,
  environment: text,
  reason: text,
  slackChannel: text.optional(),
  source: gitHubReleaseSourceSchema.optional(),
});

/** `deploy`'s result when it started (or adopted) a service deployment (DeployResult). */
export const deployResultSchema = z.object({
  /**
   * How ECS moves traffic to the new revision; a native strategy pauses at its lifecycle hooks for the
   * release's decisions. A result from before strategies existed was a rolling update's.
   */
  strategy: strategySchema.default('rolling'),
  previousTaskDefinitionArn: text,
  taskDefinitionArn: text,
  serviceDeploymentArn: text,
  startedAt: instant,
  /** The service must be stable before this (ISO 8601). */
  deadline: instant,
  /** A native strategy's target groups: the new revision's (canary) and the one serving production now (baseline). */
  targetGroups: z.object({ canary: text, baseline: text }).optional(),
  /** Native strategies only (always set for them): a hotfix, deployed with bake times of 0 and never analysed. */
  hotfix: z.boolean().optional(),
});

/** `deploy`'s result when the image was already live (AlreadyLive). */
export const alreadyLiveSchema = z.object({
  /** Why nothing changed; the state machine's DeployDecision goes by its presence. */
  noop: text,
  /** The revision the service runs. */
  taskDefinitionArn: text,
});

/** The rotation lock a rotation's roll holds (RotationLease). */
export const rotationLeaseSchema = z.object({
  parameter: text,
  rotationId: text,
  seconds: z.number().int().positive(),
});

/** How a native rollout's check paces analysis (NativeWatch). */
export const nativeWatchSchema = z.object({
  /** The analysis interval of the target's policy. */
  intervalSeconds: z.number().int().positive(),
  /** The end of the last analysis, or when the current step's traffic began (ISO 8601). */
  since: instant,
  /** When the release's deployment began: the stable revision served all production traffic before. */
  releaseStartedAt: instant,
  /** When the current step's traffic began (the last hook continued), or the release began. */
  stepStartedAt: instant,
  /** A hotfix: every hook is continued without analysis, except the test-traffic hook's smoke checks. */
  hotfix: z.boolean().optional(),
  /** How long a stage with no analysis ahead waits between looks (15 unless given). */
  pollSeconds: z.number().int().positive().optional(),
  /** The longest wait between looks, whatever the interval (60 unless given). */
  longestWaitSeconds: z.number().int().positive().optional(),
});

/** What a stability check waits for: a deployment, or a rollback of one (StabilityQuery). */
export const stabilityQuerySchema = z.object({
  cluster: text,
  ecsService: text,
  /** Where the service lives (the release's target.access); absent: the automation's own account and region. */
  access: targetAccessSchema.optional(),
  /** The release that looks (its role session's name, so the target account's CloudTrail names it). */
  releaseId: text.optional(),
  serviceDeploymentArn: text,
  /** The revision the service must end on. */
  taskDefinitionArn: text,
  deadline: instant,
  mode: z.enum(ROLLOUT_MODES),
  /**
   * Whose promote or abort request to read: the running release and its target's lock; with
   * `lease`, the lock's lease is renewed for that long from now (a native release's bakes and
   * analyses outlast any lease fixed at claim).
   */
  control: z
    .object({
      lockKey: text,
      releaseId: text,
      lease: z.object({ executionId: text, seconds: z.number().int().positive() }).optional(),
    })
    .optional(),
  /**
   * A rotation's roll of a dependent: the secret's rotation lock, whose lease is renewed for
   * `seconds` from now at each look, so a roll with long deadlines never outlives it.
   */
  rotationLease: rotationLeaseSchema.optional(),
  /** A native deployment: when its traffic is next due for analysis. */
  native: nativeWatchSchema.optional(),
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
  scan: scanSummarySchema.optional(),
  requestedBy: requesterSchema.optional(),
  hotfix: z.boolean().optional(),
  commitAt: instant.optional(),
  commitAtFrom: z.string().optional(),
});
