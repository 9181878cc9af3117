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

/** One poll of a rolling deployment's stability. */
export const STABILITY_POLL = ['WaitForStability', 'CheckStability', 'StabilityDecision'];

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

/** A rollback asked for, polled until ECS has it done, and told. */
export const ROLLBACK_VERIFIED = [
  'Rollback',
  'WaitForRollback',
  'CheckRollback',
  'RollbackDecision',
  'NotifyRolledBack',
];

/**
 * The states with every poll of a wait loop (stability, rollback, rollout) but its last left out: how
 * often a check polls before ECS moves on is its pace (a world's, or the clock's), not the path.
 */
export const lastPolls = (states: readonly string[]): string[] =>
  states
    .join(' ')
    .replace(/(WaitForStability CheckStability StabilityDecision )+(?=WaitForStability)/g, '')
    .replace(/(WaitForRollback CheckRollback RollbackDecision )+(?=WaitForRollback)/g, '')
    .replace(/(WaitForRollout CheckRollout RolloutDecision )+(?=WaitForRollout)/g, '')
    .split(' ');
