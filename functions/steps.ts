import { closeApprovalStep, requestApprovalStep } from '../src/approvals/index.ts';
import { canaryCheckStep } from '../src/canary/index.ts';
import { planStep } from '../src/github/index.ts';
import type { StepTable } from '../src/platform/index.ts';
import {
  advanceStep,
  awaitDeploymentStep,
  claimStep,
  deployStep,
  finishStep,
  notifyStep,
  rollbackStep,
  smokeTestStep,
  waitStableStep,
  watchRolloutStep,
} from '../src/release/index.ts';
import {
  rotateDependentsStep,
  rotateNotifyStep,
  rotateRollbackStep,
  rotateRollStep,
  rotateSecretStep,
} from '../src/rotation/index.ts';

/**
 * The step each serverless.yml function a state machine invokes runs, by its
 * function key (the `Fn::GetAtt: [key, Arn]` of the ASL): the one place the
 * ASL's function names meet the steps' contracts. `npm run validate:asl`
 * checks every Lambda Task state against the step found here.
 */
export const stepsByFunction: StepTable = {
  plan: planStep,
  claim: claimStep,
  deploy: deployStep,
  waitStable: waitStableStep,
  watchRollout: watchRolloutStep,
  awaitDeployment: awaitDeploymentStep,
  advance: advanceStep,
  smokeTest: smokeTestStep,
  canaryCheck: canaryCheckStep,
  rollback: rollbackStep,
  notify: notifyStep,
  finish: finishStep,
  requestApproval: requestApprovalStep,
  closeApproval: closeApprovalStep,
  rotateSecret: rotateSecretStep,
  rotateDependents: rotateDependentsStep,
  rotateRoll: rotateRollStep,
  rotateRollback: rotateRollbackStep,
  rotateNotify: rotateNotifyStep,
};
