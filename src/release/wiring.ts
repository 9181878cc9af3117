// The release feature's wiring entry: its real adapters, built from a function's wiring. Carries SDKs:
// for handlers, the sandbox and other features' adapters, never a feature's core.
export {
  createAlarmMetrics,
  releaseAlarmMetrics,
  wiredAlarmMetrics,
  wiredRunningReleases,
} from './adapters/alarm-metrics.ts';
export { createEcsAdapter } from './adapters/ecs.ts';
export { createHttpProbe } from './adapters/http-probe.ts';
export { wiredReconcilePorts } from './adapters/reconcile-wiring.ts';
export { releaseMetrics } from './adapters/release-metrics.ts';
export { conditional } from './adapters/release-store.ts';
export { createReleaseStore } from './adapters/release-store-client.ts';
export { createReleaseWorkflow } from './adapters/release-workflow.ts';
export {
  wiredEcs,
  wiredEcsFor,
  wiredPlanPorts,
  wiredReach,
  wiredRegistry,
  wiredReleaseStore,
  wiredScanFindings,
  wiredWaitPorts,
} from './adapters/wiring.ts';
