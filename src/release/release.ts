import type { SmokeCheck } from '../catalog/schema.ts';
import type { Strategy, StrategyConfig } from '../catalog/strategy.ts';
import type { StepOutput } from '../platform/step.ts';
import type { KeptAnalysis } from './kept-analyses.ts';
import type { DeploymentLifecycleStage } from './ports/ecs.ts';
import type { claimStep, rollbackStep, smokeTestStep } from './steps.ts';

// The data that flows between the release state machine's states. Each
// function reads and returns these shapes; the ASL wires them together under
// the keys named in state-machines/release.asl.yml.

/** What can start a release: an image pushed to ECR, a published GitHub release, or a person asking in Slack. */
export const TRIGGER_SOURCES = ['ecr-push', 'github-release', 'slack-command'] as const;
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
export interface ImageRef {
  repository: string;
  tag: string;
  digest: string;
  /** `registry/repository@digest`: what goes into the task definition. */
  uri: string;
  /** When the registry stored the image (ISO 8601, milliseconds); with the trigger's time, orders pushes. */
  pushedAt: string;
}

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
}

/** How a target's releases are approved: in Slack, within `timeoutSeconds`. */
export interface ApprovalPolicy {
  via: 'slack';
  /** The approval task's TimeoutSeconds (catalog `approvalTimeoutSeconds`). */
  timeoutSeconds: number;
}

/** Who asked for a release: a name to show, and the Slack user when one asked in Slack (the two-person rule's subject). */
export interface Requester {
  name: string;
  slackUserId?: string;
}

/** A planned release of one image to one target; the unit of locking and recording. */
export interface ReleaseRequest {
  /** Deterministic from the trigger and the target: the same event gives the same id. */
  releaseId: string;
  target: ReleaseTarget;
  image: ImageRef;
  trigger: Trigger;
  /** For a release from a GitHub release: its facts (tag, commit, author, link). */
  source?: GitHubReleaseSource;
  /** The revision running when planned (informative; deploy reads it again). */
  currentTaskDefinitionArn: string;
  /** Set when the image is already live: nothing to deploy, and why. */
  noop?: string;
  /** Give up waiting for another release of the same target after this (ISO 8601). */
  lockWaitDeadline: string;
  /** Who asked; an approver can never be the one who asked where the two-person rule holds. */
  requestedBy?: Requester;
  /** `/release deploy --hotfix` and `/release rollback`: skip canary steps (never the smoke test or rollback). */
  hotfix?: boolean;
}

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
export interface DeployResult {
  /** How ECS moves traffic to the new revision; a native strategy pauses at its lifecycle hooks for the release's decisions. */
  strategy: Strategy;
  previousTaskDefinitionArn: string;
  taskDefinitionArn: string;
  serviceDeploymentArn: string;
  startedAt: string;
  /** The service must be stable before this (ISO 8601). */
  deadline: string;
  /** A native strategy's target groups: the new revision's (canary) and the one serving production now (baseline). */
  targetGroups?: { canary: string; baseline: string };
  /** Native strategies only (always set for them): a hotfix, deployed with bake times of 0 and never analysed. */
  hotfix?: boolean;
}

/** `deploy` when the image was already live when it looked: nothing changed, nothing to wait on. */
export interface AlreadyLive {
  /** Why nothing changed; the state machine's DeployDecision goes by its presence. */
  noop: string;
  /** The revision the service runs. */
  taskDefinitionArn: string;
}

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
export type RolloutNext = 'wait' | 'smoke' | 'analyse' | 'continue' | 'abort';

/** `wait-stable`: where the deployment is. FAILED and the deadline are thrown as errors. */
export interface StabilityResult {
  /** PAUSED only for a native deployment waiting at a PAUSE hook. */
  status: 'IN_PROGRESS' | 'SUCCESSFUL' | 'PAUSED';
  deploymentStatus: string;
  checkedAt: string;
  /** The promote or abort a person asked for, if any. */
  control?: ControlRequest;
  /** Native deployments only. */
  next?: RolloutNext;
  hook?: { hookId: string; stage?: DeploymentLifecycleStage };
  /** The new revision's share of production traffic (percent), when ECS reports it. */
  productionWeight?: number;
  /** With `next: analyse`: the windows canary-check compares. */
  window?: AnalysisWindowSpec;
}

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

/** An analysis as the release record keeps it: the verdict and its reason, without the per-metric figures. */
export interface AnalysisSummary {
  verdict: string;
  decision: string;
  reason: string;
  window: { start: string; end: string };
}

/** `smoke-test`: every check's outcome, a failing run is thrown as SmokeTestFailedError (smokeTestStep's output). */
export type SmokeResult = StepOutput<typeof smokeTestStep>;
export type SmokeCheckResult = SmokeResult['checks'][number];

/** `rollback`: how the service is being returned to the previous revision (rollbackStep's output). */
export type RollbackResult = StepOutput<typeof rollbackStep>;

// Each list is both a type and its schema's values (release-schemas.ts).

/** Where a release stands: RUNNING until it ends, then how it ended. */
export const RELEASE_OUTCOMES = [
  'RUNNING',
  'SUCCEEDED',
  'NOOP',
  'SUPERSEDED',
  'FAILED',
  'ROLLED_BACK',
  'ROLLBACK_FAILED',
  // The approval was refused or timed out: nothing was deployed.
  'NOT_APPROVED',
  // Its execution stopped before the release finished (StopExecution, its timeout, a failure no Catch saw): see abandon.ts.
  'ABANDONED',
] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

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

/** A Step Functions Catch result: the error name and its cause (a JSON string from Lambda). */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

/** The durable record of one release, read by status, history and delivery metrics. */
export interface ReleaseRecord {
  releaseId: string;
  executionId: string;
  service: string;
  environment: string;
  trigger: Trigger;
  /** For a release from a GitHub release: its facts. */
  source?: GitHubReleaseSource;
  repository: string;
  tag: string;
  digest: string;
  image: string;
  previousTaskDefinitionArn?: string;
  taskDefinitionArn?: string;
  startedAt: string;
  endedAt?: string;
  outcome: ReleaseOutcome;
  reason?: string;
  /** A native release's last analysis. */
  analysis?: AnalysisSummary;
  /** A native release's analyses with their figures, oldest first: the newest MAX_KEPT_ANALYSES (kept-analyses.ts). */
  analyses?: KeptAnalysis[];
  /** How many analyses were recorded, dropped ones included. */
  analysesRecorded?: number;
  /** A promote or abort someone asked for. */
  control?: ControlRequest;
  /** Every approval decision on this release: who, when, what. */
  decisions?: ApprovalDecisionRecord[];
}

/** What a person (or the clock) decided about a release's approval. */
export const APPROVAL_VERDICTS = ['APPROVED', 'REJECTED', 'EXPIRED'] as const;
export type ApprovalVerdict = (typeof APPROVAL_VERDICTS)[number];

/** One decision, as the release record keeps it. */
export interface ApprovalDecisionRecord {
  approvalId: string;
  verdict: ApprovalVerdict;
  /** The Slack user id, or `timeout`. */
  by: string;
  at: string;
  reason?: string;
}
