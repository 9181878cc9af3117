// The doctor feature's wiring entry: its real adapters. Carries SDKs: for the CLI and the sandbox.
export { createCloudWatchMetricList } from './adapters/cloudwatch-metric-list.ts';
export { createEcrRepositories } from './adapters/ecr-repositories.ts';
export { createElbv2Resources } from './adapters/elbv2-resources.ts';
export { createIamRoles } from './adapters/iam-roles.ts';
export { createSsmParameterNames } from './adapters/ssm-parameter-names.ts';
export {
  createCloudFormationOutputs,
  createSandboxOutputs,
  SANDBOX_STACK_OUTPUTS_PATH,
} from './adapters/stack-outputs.ts';
export { createUrlReachability } from './adapters/url-reachability.ts';
