import * as z from 'zod';
import { smokeCheckSchema } from '../catalog/index.ts';
import { defineStep } from '../platform/step.ts';
import { targetAccessSchema } from '../platform/target-access.ts';
import { keptAnalysisSchema } from './kept-analyses.ts';
import { DEPLOYMENT_LIFECYCLE_STAGES } from './ports/ecs.ts';
import { RELEASE_OUTCOMES } from './record.ts';
import { NOTIFY_EVENTS } from './release.ts';
import { ROLLOUT_NEXT } from './rollout-state.ts';
import {
  alreadyLiveSchema,
  analysisSummarySchema,
  caughtErrorSchema,
  controlRequestSchema,
  deployResultSchema,
  refusedTargetSchema,
  releaseOutcomeSchema,
  releaseRequestSchema,
  stabilityQuerySchema,
} from './schemas.ts';

// The release state machine's Lambda steps: what each is given and returns.
// Handlers parse their event with `input`; `npm run validate:asl` checks the
// ASL's Parameters against `input` and its later reads against `output`.

const text = z.string().min(1);
const instant = z.iso.datetime({ offset: true });

/** `claim`: `{ request, executionId }` → ACQUIRED, BUSY, DUPLICATE, SUPERSEDED or NOOP, and why. */
export const claimStep = defineStep({
  name: 'claim',
  input: z.object({ request: releaseRequestSchema, executionId: text }),
  output: z.object({
    status: z.enum(['ACQUIRED', 'BUSY', 'DUPLICATE', 'SUPERSEDED', 'NOOP']),
    /** Always set: why this status (shown in the Map's result and the record). */
    reason: z.string(),
    /** While BUSY: the release holding the target. */
    heldBy: z.string().optional(),
    /** When ACQUIRED: the lease, in seconds, a native release renews at each look at its rollout. */
    leaseSeconds: z.number().optional(),
  }),
});

/** `deploy`: `{ request }` → the service deployment started, or why nothing changed (`noop`). */
export const deployStep = defineStep({
  name: 'deploy',
  input: z.object({ request: releaseRequestSchema }),
  output: z.union([deployResultSchema, alreadyLiveSchema]),
});

/** `waitStable`: a StabilityQuery → where the deployment is, what a native rollout asks next. */
export const waitStableStep = defineStep({
  name: 'waitStable',
  input: stabilityQuerySchema,
  output: z.object({
    /** PAUSED only for a native deployment waiting at a PAUSE hook. */
    status: z.enum(['IN_PROGRESS', 'SUCCESSFUL', 'PAUSED']),
    deploymentStatus: z.string(),
    checkedAt: instant,
    /** The promote or abort a person asked for, if any. */
    control: controlRequestSchema.optional(),
    /** Native deployments only. */
    next: z.enum(ROLLOUT_NEXT).optional(),
    hook: z.object({ hookId: text, stage: z.enum(DEPLOYMENT_LIFECYCLE_STAGES).optional() }).optional(),
    /** The new revision's share of production traffic (percent), when ECS reports it. */
    productionWeight: z.number().optional(),
    /** With `next: analyse`: the windows canary-check compares. */
    window: z.union([z.object({ since: instant, baselineBefore: instant }), z.object({ since: instant })]).optional(),
    /** Native deployments only: whole seconds until the next look (the next analysis due, or a poll). */
    waitSeconds: z.number().int().positive().optional(),
  }),
});

/**
 * `awaitDeployment` (a `.waitForTaskToken` task): a StabilityQuery and the task's token → whether it
 * waits; the task's result is waitStable's, sent when ECS's deployment has something to say.
 */
export const awaitDeploymentStep = defineStep({
  name: 'awaitDeployment',
  input: stabilityQuerySchema.extend({ taskToken: text }),
  output: z.object({ waiting: z.boolean() }),
  callbackOutput: waitStableStep.output,
});

/** `advance`: `{ serviceDeploymentArn, hookId }` → the hook continued, and when. */
export const advanceStep = defineStep({
  name: 'advance',
  // access and releaseId: where the deployment is, and the release whose role session continues it.
  input: z.object({
    serviceDeploymentArn: text,
    hookId: text,
    access: targetAccessSchema.optional(),
    releaseId: text.optional(),
  }),
  output: z.object({ hookId: text, action: z.literal('CONTINUE'), at: instant }),
});

/** `smokeTest`: `{ checks }` → every check's outcome (a failing run is thrown). */
export const smokeTestStep = defineStep({
  name: 'smokeTest',
  input: z.object({ checks: z.array(smokeCheckSchema) }),
  output: z.object({
    passed: z.boolean(),
    checks: z.array(
      z.object({
        name: z.string(),
        url: z.string(),
        passed: z.boolean(),
        status: z.number().optional(),
        latencyMs: z.number().optional(),
        attempts: z.number(),
        detail: z.string().optional(),
      }),
    ),
  }),
});

/** `rollback`: `{ request, deployment, error }` → how the service returns to the previous revision. */
export const rollbackStep = defineStep({
  name: 'rollback',
  input: z.object({ request: releaseRequestSchema, deployment: deployResultSchema, error: caughtErrorSchema }),
  output: z.object({
    /**
     * stop: StopServiceDeployment(ROLLBACK); hook: ContinueServiceDeployment(ROLLBACK) on a
     * paused native deployment; update: UpdateService; none: ECS had already rolled back.
     */
    method: z.enum(['stop', 'hook', 'update', 'none']),
    serviceDeploymentArn: text,
    taskDefinitionArn: text,
    deadline: instant,
  }),
});

/** What `notify` is given about a release (the previous notify's result arrives as `notice`). */
export const releaseNoticeSchema = z.object({
  event: z.enum(NOTIFY_EVENTS),
  request: releaseRequestSchema,
  deployment: deployResultSchema.optional(),
  alreadyLive: alreadyLiveSchema.optional(),
  error: caughtErrorSchema.optional(),
  rollbackError: caughtErrorSchema.optional(),
  // Each metric's figures pass through whole: they are kept on the release record as canary-check gave them.
  analysis: keptAnalysisSchema.partial({ window: true }).optional(),
  // The execution whose record keeps the analysis.
  executionId: text.optional(),
  // The previous notify's whole result arrives here; only these two fields matter.
  notice: z.object({ ts: text.optional(), channel: text.optional() }).optional(),
});

/** What `notify` is given about a target a plan refused: there is no release request, only the refusal. */
export const refusalNoticeSchema = z.object({ event: z.literal('refused'), refused: refusedTargetSchema });

/** `notify`: a release's event, or a refused target → `{ delivered, ts?, channel, reason? }`; never throws for Slack. */
export const notifyStep = defineStep({
  name: 'notify',
  input: z.discriminatedUnion('event', [releaseNoticeSchema, refusalNoticeSchema]),
  output: z.object({
    delivered: z.boolean(),
    ts: z.string().optional(),
    channel: z.string(),
    reason: z.string().optional(),
  }),
});

/** `finish`: how a release ended → its record written, the target unlocked. */
export const finishStep = defineStep({
  name: 'finish',
  input: z.object({
    request: releaseRequestSchema,
    executionId: text,
    outcome: releaseOutcomeSchema,
    reason: text.optional(),
    deployment: deployResultSchema.optional(),
    error: caughtErrorSchema.optional(),
    // The state machine hands on what it holds: {} for a rolling release, the
    // step's pacing alone when no analysis ran. Only a whole analysis is recorded.
    analysis: z
      .unknown()
      .transform((value) => analysisSummarySchema.safeParse(value).data)
      .optional(),
  }),
  output: z.object({ releaseId: text, outcome: z.enum(RELEASE_OUTCOMES), reason: z.string().optional() }),
});
