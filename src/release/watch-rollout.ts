import * as z from 'zod';
import { defineStep } from '../platform/step.ts';
import type { NotifyResult } from './notify.ts';
import type { StabilityResult } from './rollout-state.ts';
import { stabilityQuerySchema } from './schemas.ts';
import { notifyStep, waitStableStep } from './steps.ts';

// CheckRollout in one task (issue 17): the look at a native rollout
// (waitStable's), and when that look says an analysis is due, the analysis
// (canaryCheck's) and its notice in the release's thread with its figures kept
// on the record (notify's), so a bake costs Wait + Task + Choice an interval.
// Each part is the existing step's, behind a port taking and giving that step's
// JSON: the state machine's data is what it was when they were three tasks.

/** What the state machine holds that an analysis and its notice read (as the three states read it). */
const watchedStateSchema = z.looseObject({
  request: z.looseObject({
    releaseId: z.string().optional(),
    target: z.looseObject({
      loadBalancer: z.looseObject({ productionListenerRuleArn: z.string() }).optional(),
      analysis: z.unknown(),
      access: z.unknown().optional(),
    }),
  }),
  executionId: z.string().optional(),
  deployment: z.looseObject({
    targetGroups: z.looseObject({ canary: z.string(), baseline: z.string() }).optional(),
  }),
  analysis: z
    .looseObject({ step: z.looseObject({ history: z.unknown() }).optional(), release: z.unknown() })
    .optional(),
  notice: z.unknown().optional(),
});

/**
 * `watchRollout`: `{ look, state }`, look being waitStable's query and state the release's whole state
 * data → that state with `stability` the look's answer and, when it analysed (`stability.next: analyse`),
 * `analysis` canary-check's result with the step's pacing and `notice` the analysis notice's.
 */
export const watchRolloutStep = defineStep({
  name: 'watchRollout',
  input: z.object({ look: stabilityQuerySchema, state: watchedStateSchema }),
  // The state comes back whole: these are the keys the step puts into it (validate:asl checks the reads of
  // each against them; a key it passes on untouched is read where its own writer put it).
  output: z.object({
    stability: waitStableStep.output,
    analysis: z
      .object({
        verdict: z.string(),
        decision: z.string(),
        reason: z.string(),
        window: z.object({ start: z.string(), end: z.string() }),
        metrics: z.unknown(),
        release: z.unknown(),
        step: z.object({ history: z.unknown(), since: z.string(), startedAt: z.string() }),
      })
      .partial(),
    notice: notifyStep.output.optional(),
  }),
});

/** An analysis as the state machine keeps it: canary-check's result and the step's pacing. */
export interface KeptRolloutAnalysis {
  verdict: string;
  decision: string;
  reason: string;
  window: { start: string; end: string };
  metrics: unknown;
  release: unknown;
  step: { history: unknown; since: string; startedAt: string };
}

/** canary-check's JSON result, as much of it as the state machine keeps. */
type AnalysisJson = Omit<KeptRolloutAnalysis, 'step'> & { history: unknown };

/** The three steps a look composes, each given and giving its step's JSON. */
export interface WatchRolloutPorts {
  look(query: unknown): Promise<StabilityResult>;
  analyse(request: unknown): Promise<AnalysisJson>;
  /** notify's: never rejects (a Slack outage never fails a release). */
  report(notice: unknown): Promise<NotifyResult>;
}

/** Looks at the rollout and, when an analysis is due, analyses and posts it; returns the state, updated. */
export async function watchRollout(
  event: unknown,
  ports: WatchRolloutPorts,
): Promise<Record<string, unknown> & { stability: StabilityResult }> {
  const { look, state } = z.object({ look: z.unknown(), state: z.record(z.string(), z.unknown()) }).parse(event);
  const stability = await ports.look(look);
  if (stability.next !== 'analyse') return { ...state, stability };
  const held = watchedStateSchema.parse(state);
  const result = await ports.analyse({
    loadBalancer: held.request.target.loadBalancer?.productionListenerRuleArn,
    canaryTargetGroup: held.deployment.targetGroups?.canary,
    baselineTargetGroup: held.deployment.targetGroups?.baseline,
    window: stability.window,
    policy: held.request.target.analysis,
    history: held.analysis?.step?.history,
    release: held.analysis?.release,
    rolloutStatus: stability.status,
    // The target's load balancer publishes in its own account and region.
    ...(held.request.target.access === undefined ? {} : { access: held.request.target.access }),
    releaseId: held.request.releaseId,
  });
  const { verdict, decision, reason, window, metrics, release, history } = result;
  const analysis: KeptRolloutAnalysis = {
    ...{ verdict, decision, reason, window, metrics, release },
    step: { history, since: window.end, startedAt: window.start },
  };
  const notice = await ports.report({
    event: 'analysis',
    request: state.request,
    executionId: held.executionId,
    analysis,
    notice: state.notice,
  });
  return { ...state, stability, analysis, notice };
}
