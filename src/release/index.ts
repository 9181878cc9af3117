// The release feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/release/, code imports the feature only through this file and ./wiring.ts.

export type { AbandonDeps } from './abandon.ts';
export { abandonReleases } from './abandon.ts';
export type { AdvancePorts, AdvanceResult } from './advance.ts';
export { advanceRollout } from './advance.ts';
export type { AlarmDatum, AlarmMetricsPort, AlarmNoticePorts, AlarmNotification, RunningExecution } from './alarms.ts';
export {
  ALARM_METRICS,
  alarmMessage,
  alarmNotificationSchema,
  DEFAULT_METRICS_NAMESPACE,
  isNoticeworthy,
  oldestRunning,
  postAlarmNotice,
  releaseEndedDatum,
} from './alarms.ts';
export type { CaughtError } from './caught-error.ts';
export { describeCaughtError } from './caught-error.ts';
export type { ClaimDeps } from './claim.ts';
export { claimRelease } from './claim.ts';
export type { ControlCommand, ControlOutcome } from './control.ts';
export { AmbiguousEnvironmentError, requestReleaseControl, runningEnvironment } from './control.ts';
export type { DeployPorts } from './deploy.ts';
export { deployRelease } from './deploy.ts';
export type { SettleReport, WaitOutcome, WaitPorts } from './deployment-waits.ts';
export { awaitDeployment, settleWait, settleWaits } from './deployment-waits.ts';
export { EVENT_ID, ecrImageActionSchema, parseEcrPush } from './events/ecr-push.ts';
export { ecsServiceEventSchema, serviceKey, servicesOfEcsEvent } from './events/ecs-service.ts';
export { parseStoppedExecution } from './events/execution-status.ts';
export type { FinishDeps } from './finish.ts';
export { finishRelease } from './finish.ts';
export { isImageTag } from './image-tag.ts';
export { alreadyLive, readLiveRevision } from './live-revision.ts';
export { escapeText } from './messages.ts';
export { announceRefusal, notifyRelease, postOrExplain } from './notify.ts';
export type { PlanPorts } from './plan.ts';
export { lockWaitSeconds, planned, planRelease, planTarget, refusal, refusedTarget } from './plan.ts';
export type { CallbackAnswer, DeploymentWait, DeploymentWaitStore, TaskCallbacks } from './ports/deployment-waits.ts';
export type { EcsPort } from './ports/ecs.ts';
export type { RegistryImage, RegistryPort, TaggedImageLookup } from './ports/registry.ts';
export type { ReleaseFilter, ReleaseStore, StoredRelease } from './ports/release-store.ts';
export type { ImageScan, ScanFinding, ScanFindingsPort } from './ports/scan-findings.ts';
export type { EcsForTargets, PortFor, ReachCheck } from './ports/targets.ts';
export { sessionOf } from './ports/targets.ts';
export type { ReleaseWorkflow } from './ports/workflow.ts';
export { FUTURE_TOLERANCE_MS, isAheadOfClock } from './push-order.ts';
export type { ReconciledPush, ReconcilePorts, ReconcileResult } from './reconcile.ts';
export { reconcilePushes } from './reconcile.ts';
export type { ApprovalDecisionRecord, ApprovalVerdict } from './record.ts';
export { APPROVAL_VERDICTS, releaseIdFor } from './record.ts';
export type {
  AlreadyLive,
  DeployResult,
  GitHubReleaseSource,
  ImageRef,
  PlanResult,
  RefusedTarget,
  ReleaseRequest,
  RollbackResult,
  Trigger,
} from './release.ts';
export { type ReleaseReport, reportRelease } from './report-release.ts';
export type { RollbackPorts } from './rollback.ts';
export { rollBack } from './rollback.ts';
export type { StabilityQuery, StabilityResult } from './rollout-state.ts';
export { ROLLOUT_MODES } from './rollout-state.ts';
export type { ScanJudgement } from './scan-budget.ts';
export { judgeFindings } from './scan-budget.ts';
export type { ScanGateResult, ScanSummary } from './scan-gate.ts';
export { scanGate } from './scan-gate.ts';
export { caughtErrorSchema, refusedTargetSchema, releaseRequestSchema } from './schemas.ts';
export type { SmokeDeps } from './smoke.ts';
export { runSmokeTest } from './smoke.ts';
export type { StabilityPorts } from './stability.ts';
export { checkStability } from './stability.ts';
export {
  advanceStep,
  awaitDeploymentStep,
  claimStep,
  deployStep,
  finishStep,
  notifyStep,
  rollbackStep,
  smokeTestStep,
  waitStableStep,
} from './steps.ts';
export type { GitHubTarget } from './targets.ts';
export { findGitHubTargets, gitHubEntries, registryAccess, releaseTargetFor } from './targets.ts';
export type { KeptRolloutAnalysis, WatchRolloutPorts } from './watch-rollout.ts';
export { watchRollout, watchRolloutStep } from './watch-rollout.ts';
