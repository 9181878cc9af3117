// The rotation feature's wiring entry: its real adapters, built from a function's wiring. Carries SDKs:
// for handlers, the sandbox and other features' adapters, never a feature's core.

export type { RotationStepPorts } from './adapters/rotation-step.ts';
export { runRotationStep } from './adapters/rotation-step.ts';
export { createRotationWorkflow } from './adapters/rotation-workflow.ts';
export {
  rollTargets,
  secretFor,
  wiredDependentEcs,
  wiredRotationLock,
  wiredRotationPorts,
} from './adapters/wiring.ts';
export type { DependentEcs } from './ports/dependent-ecs.ts';
