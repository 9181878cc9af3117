// The canary feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/canary/, code imports the feature only through this file and ./wiring.ts.

export type { CanaryCheckPorts, CanaryCheckResult } from './check.ts';
export { checkCanary } from './check.ts';
export type { AnalysisPolicy } from './policy.ts';
export { canaryCheckStep } from './steps.ts';
