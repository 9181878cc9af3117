import type * as z from 'zod';
import type { nativeWatchSchema, rotationLeaseSchema, stabilityQuerySchema } from './schemas.ts';
import type { waitStableStep } from './steps.ts';

// Where a release's rollout stands and what is asked of it: what wait-stable is
// given and answers, and the promote or abort a person may ask for meanwhile.

/** What a release waits for: its own deployment, or the return to the previous revision. */
export const ROLLOUT_MODES = ['deploy', 'rollback'] as const;
export type RolloutMode = (typeof ROLLOUT_MODES)[number];

/** What a stability check waits for: a deployment, or a rollback of one. */
export type StabilityQuery = z.output<typeof stabilityQuerySchema>;

/** The rotation lock a rotation's roll holds: whose, and how long each renewal lasts. */
export type RotationLease = z.output<typeof rotationLeaseSchema>;

/** How a native rollout's check paces analysis. */
export type NativeWatch = z.output<typeof nativeWatchSchema>;

/**
 * What canary-check compares: while both revisions serve production, the new
 * revision's target group against the stable one's since the release began;
 * once all traffic is on the new revision, its target group since then against
 * the stable one's over as long a window just before the release began.
 */
export type AnalysisWindowSpec = { since: string } | { since: string; baselineBefore: string };

/**
 * What the state machine does next with a native rollout: keep polling, run
 * the smoke checks on test traffic, analyse the canary, answer the paused
 * hook with CONTINUE, or roll back because a person asked.
 */
export const ROLLOUT_NEXT = ['wait', 'smoke', 'analyse', 'continue', 'abort'] as const;
export type RolloutNext = (typeof ROLLOUT_NEXT)[number];

/** `wait-stable`: where the deployment is (waitStableStep's output). FAILED and the deadline are thrown as errors. */
export type StabilityResult = z.output<(typeof waitStableStep)['output']>;

/** What a person may ask of a running release: skip the remaining analysis, or roll back now. */
export const CONTROL_ACTIONS = ['promote', 'abort'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/** A promote or abort request, as stored on the target's lock and in the release record. */
export interface ControlRequest {
  action: ControlAction;
  releaseId: string;
  /** Who asked (the CLI's user, later the Slack user). */
  requestedBy: string;
  requestedAt: string;
}
