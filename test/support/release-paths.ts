// The release machine's paths as lists of the states entered: the stretches
// every path of state-machines/release.asl.yml shares, for the tests that run
// it (test/state-machine through the ASL runner, test/sandbox through the sandbox).

/** From the start to the approval gate, before any path splits. */
export const UP_TO_APPROVAL = [
  'Planned',
  'Plan',
  'AnythingToRelease',
  'Releases',
  'Claim',
  'ClaimDecision',
  'NotifyStarted',
  'ApprovalNeeded',
];

/** Through deploy's outcome, when no approval is needed. */
export const THROUGH_DEPLOY = [...UP_TO_APPROVAL, 'Deploy', 'DeployDecision'];

/** A rolling deployment's wait until ECS (an event, or the reconcile) says it is over: one state. */
export const STABILITY_WAIT = ['AwaitStability'];

/** From a deployment found healthy to the execution's success. */
export const SUCCEEDED_AFTER_STABLE = [
  'SmokeTest',
  'NotifySucceeded',
  'FinishSucceeded',
  'Succeeded',
  'Summarize',
  'AnyFailed',
  'Released',
];

/** A rollback asked for, awaited until ECS has it done, and told. */
export const ROLLBACK_VERIFIED = ['Rollback', 'AwaitRollback', 'NotifyRolledBack'];

/**
 * The states with every look at the rollout that led only to another wait left out: how often a check
 * polls before ECS moves on is its pace (a world's, or the clock's), not the path. (Stability and
 * rollback waits do not poll: they are answered once, when ECS has something to say.)
 */
export const lastPolls = (states: readonly string[]): string[] =>
  states
    .join(' ')
    .replace(/(CheckRollout RolloutDecision WaitForRollout )+(?=CheckRollout)/g, '')
    .split(' ');
