import type * as z from 'zod';
import type { waitStableStep } from './steps.ts';

// Where a release's rollout stands and what is asked of it: what wait-stable is
// given and answers, and the promote or abort a person may ask for meanwhile.

/** What a release waits for: its own deployment, or the return to the previous revision. */
export const ROLLOUT_MODES = ['deploy', 'rollback'] as const;
export type RolloutMode = (typeof ROLLOUT_MODES)[number];

/** What a stability check waits for: a deployment, or a rollback of one. */
export interface StabilityQuery {
  cluster: string;
  ecsService: string;
  serviceDeploymentArn: string;
  /** The revision the service must end on. */
  taskDefinitionArn: string;
  deadline: string;
  mode: RolloutMode;
  /**
   * Whose promote or abort request to read: the running release and its target's lock; with
   * `lease`, the lock's lease is renewed for that long from now (a native release's bakes and
   * analyses outlast any lease fixed at claim).
   */
  control?: { lockKey: string; releaseId: string; lease?: { executionId: string; seconds: number } };
  /**
   * A rotation's roll of a dependent: the secret's rotation lock, whose lease is renewed for
   * `seconds` from now at each look, so a roll with long deadlines never outlives it.
   */
  rotationLease?: RotationLease;
  /** A native deployment: when its traffic is next due for analysis. */
  native?: NativeWatch;
}

/** The rotation lock a rotation's roll holds: whose, and how long each renewal lasts. */
export interface RotationLease {
  parameter: string;
  rotationId: string;
  seconds: number;
}

/** How a native rollout's check paces analysis. */
export interface NativeWatch {
  /** The analysis interval of the target's policy. */
  intervalSeconds: number;
  /** The end of the last analysis, or when the current step's traffic began (ISO 8601). */
  since: string;
  /** When the release's deployment began: the stable revision served all production traffic before. */
  releaseStartedAt: string;
  /** When the current step's traffic began (the last hook continued), or the release began. */
  stepStartedAt: string;
  /** A hotfix: every hook is continued without analysis, except the test-traffic hook's smoke checks. */
  hotfix?: boolean;
}

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
