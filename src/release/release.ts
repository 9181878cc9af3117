import type * as z from 'zod';
import type { SmokeCheck, StrategyConfig } from '../catalog/index.ts';
import type { StepOutput } from '../platform/step.ts';
import type { TargetAccess } from '../platform/target-access.ts';
import type {
  alreadyLiveSchema,
  deployResultSchema,
  imageRefSchema,
  releaseRequestSchema,
  requesterSchema,
} from './schemas.ts';
import type { claimStep, rollbackStep, smokeTestStep } from './steps.ts';

// The data that flows between the release state machine's states: the request
// a release carries and what its steps return (what wait-stable is asked and
// answers is in rollout-state.ts, what is kept of a release in record.ts). The
// ASL wires them together under the keys named in state-machines/release.asl.yml.

/**
 * What can start a release: an image pushed to ECR (its event, or the push
 * reconciler when the event was lost), a published GitHub release, or a person asking in Slack.
 */
export const TRIGGER_SOURCES = ['ecr-push', 'ecr-reconcile', 'github-release', 'slack-command'] as const;
export type TriggerSource = (typeof TRIGGER_SOURCES)[number];

/** What started a release. */
export interface Trigger {
  /** An image push, a published GitHub release, or a person asking in Slack (`/release deploy` or `rollback`). */
  source: TriggerSource;
  /**
   * Stays the same when the trigger is delivered again: the EventBridge event
   * id of a push, `github-<GitHub's release id>` for a GitHub release (its
   * signed body's, never the unsigned `X-GitHub-Delivery`).
   */
  eventId: string;
  /** When the event happened (ISO 8601): the push, or the GitHub release's publication; orders releases of a target. */
  at: string;
}

/** The published GitHub release a release comes from: what a reviewer of a production release needs to see. */
export interface GitHubReleaseSource {
  kind: 'github-release';
  /** owner/name */
  repository: string;
  tag: string;
  /** The release's target_commitish: a commit sha or a branch name. */
  commit: string;
  /** Who published it (GitHub login). */
  author: string;
  /** The release's page on GitHub. */
  url: string;
  /** `X-GitHub-Delivery` of the delivery that started it: for tracing only (GitHub does not sign it). */
  deliveryId: string;
  prerelease: boolean;
}

/** An image pinned by digest. */
export type ImageRef = z.output<typeof imageRefSchema>;

/**
 * One catalog environment of one service, as a release sees it. A native
 * strategy (canary, linear, blue-green) carries its shift, bake time, load
 * balancer and analysis policy (StrategyConfig), defaults applied.
 */
export interface ReleaseTarget extends StrategyConfig {
  service: string;
  environment: string;
  cluster: string;
  ecsService: string;
  container: string;
  smoke: SmokeCheck[];
  stabilityDeadlineSeconds: number;
  slackChannel: string;
  /** Set when the environment's releases wait for an approval in Slack (catalog `approval: slack`). */
  approval?: ApprovalPolicy;
  /**
   * Where the target's ECS service lives and the role that reaches it, resolved by Plan from the
   * catalog; every step acts there. Absent (a request from before accounts): the automation's own.
   */
  access?: TargetAccess;
}

/** How a target's releases are approved: in Slack, within `timeoutSeconds`. */
export interface ApprovalPolicy {
  via: 'slack';
  /** The approval task's TimeoutSeconds (catalog `approvalTimeoutSeconds`). */
  timeoutSeconds: number;
}

/** Who asked for a release: a name to show, and the Slack user when one asked in Slack (the two-person rule's subject). */
export type Requester = z.output<typeof requesterSchema>;

/** A planned release of one image to one target; the unit of locking and recording. */
export type ReleaseRequest = z.output<typeof releaseRequestSchema>;

/** A catalog target an event cannot release, and why. */
export interface RefusedTarget {
  service: string;
  environment: string;
  reason: string;
  /** Where the target's releases are announced: a refusal is announced there too. */
  slackChannel?: string;
  /** For a GitHub release: its facts. */
  source?: GitHubReleaseSource;
}

/** `plan`: the releases one event asks for. */
export interface PlanResult {
  releases: ReleaseRequest[];
  /**
   * Targets the push feeds that cannot be released (their ECS service or
   * container is missing): the others still release, the execution then fails.
   */
  refusedTargets: RefusedTarget[];
  /** Why nothing is released (unknown repository, tag outside every filter). */
  refused?: string;
}

/** `claim`: whether this execution may release the target now (claimStep's output). */
export type ClaimResult = StepOutput<typeof claimStep>;
export type ClaimStatus = ClaimResult['status'];

/** `deploy`: the service deployment it started (or adopted), which the release then waits on. */
export type DeployResult = z.output<typeof deployResultSchema>;

/** `deploy` when the image was already live when it looked: nothing changed, nothing to wait on. */
export type AlreadyLive = z.output<typeof alreadyLiveSchema>;

/** `smoke-test`: every check's outcome, a failing run is thrown as SmokeTestFailedError (smokeTestStep's output). */
export type SmokeResult = StepOutput<typeof smokeTestStep>;
export type SmokeCheckResult = SmokeResult['checks'][number];

/** `rollback`: how the service is being returned to the previous revision (rollbackStep's output). */
export type RollbackResult = StepOutput<typeof rollbackStep>;

/** The moments of a release `notify` posts about. */
export const NOTIFY_EVENTS = [
  'started',
  'already-live',
  'succeeded',
  'failed',
  'rolled-back',
  'rollback-failed',
  'analysis',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
