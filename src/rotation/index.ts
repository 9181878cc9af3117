// The rotation feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/rotation/, code imports the feature only through this file and ./wiring.ts.
export { notifyRotation } from './messages.ts';
export type { RotationLock } from './ports/rotation-lock.ts';
export type { RotationWorkflow } from './ports/rotation-workflow.ts';
export { rotationRequest } from './request.ts';
export { findDependents, rollBackService, rollService } from './roll.ts';
export {
  rotateDependentsStep,
  rotateNotifyStep,
  rotateRollbackStep,
  rotateRollStep,
  rotateSecretStep,
} from './steps.ts';
