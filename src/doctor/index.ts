// The doctor feature's entry: what it offers the rest of the code (model, checks, ports). No SDK.
// Outside src/doctor/, code imports the feature only through this file and ./wiring.ts.

export { mapBounded } from './bounded.ts';
export type { DoctorCheck } from './check.ts';
export type {
  DoctorPorts,
  LoadBalancingPort,
  MetricDimension,
  MetricListPort,
  ParameterNamesPort,
  ReachabilityPort,
  RepositoriesPort,
  RepositorySettings,
  RolesPort,
  StackOutputsPort,
  TargetReadPorts,
} from './ports.ts';
export { formatDoctorReport } from './report.ts';
export type { RequiredParameter } from './required-parameters.ts';
export { requiredParameters } from './required-parameters.ts';
export type { DoctorRequest } from './run-doctor.ts';
export { catalogTargets, runDoctor, UnknownServiceError } from './run-doctor.ts';
export {
  botScopes,
  gitHubWebhookSettings,
  MissingStackOutputError,
  SLACK_METHOD_SCOPES,
  slackAppManifest,
} from './slack-manifest.ts';
export type { StackOutputKey } from './stack-outputs.ts';
export { STACK_OUTPUTS } from './stack-outputs.ts';
export type { DoctorTarget } from './target-checks.ts';
export { checkTarget, SMOKE_PROBE_TIMEOUT_MS } from './target-checks.ts';
