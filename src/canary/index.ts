// The canary feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/canary/, code imports the feature only through this file and ./wiring.ts.

export type { CanaryCheckPorts, CanaryCheckRequest, CanaryCheckResult } from './check.ts';
export { checkCanary } from './check.ts';
export { canaryCheckRequestSchema } from './check-schema.ts';
export { loadBalancerDimension, targetGroupDimension } from './metric-dimensions.ts';
export type { AnalysisPolicy } from './policy.ts';
export { renameLegacyFields } from './policy.ts';
export type {
  CanaryMetrics,
  CanaryMetricsQuery,
  CustomMetricQuery,
  MetricsPort,
  RequestCounts,
} from './ports/metrics.ts';
export { rankSumGreater } from './statistics/rank-sum.ts';
export { canaryCheckStep } from './steps.ts';
