// What the doctor reads, in its own terms: each port one read-only question,
// answered by the same adapters the functions use where they exist.
import type { TargetAccess } from '../platform/index.ts';
import type { EcsPort } from '../release/index.ts';
import type { DoctorTarget } from './target-checks.ts';

/** One CloudWatch dimension. */
export interface MetricDimension {
  name: string;
  value: string;
}

/** An ECR repository as the doctor sees it. */
export interface RepositorySettings {
  scanOnPush: boolean;
}

/** ECR: whether a repository exists and scans on push. */
export interface RepositoriesPort {
  /** The repository's settings, or undefined when it does not exist. */
  describe(repository: string): Promise<RepositorySettings | undefined>;
}

/** SSM Parameter Store, names only: never a value. */
export interface ParameterNamesPort {
  /** Which of `names` exist (paginated, metadata only). */
  existing(names: readonly string[]): Promise<Set<string>>;
}

/** CloudWatch: whether a metric with these dimensions has data. */
export interface MetricListPort {
  hasData(namespace: string, metricName: string, dimensions: readonly MetricDimension[]): Promise<boolean>;
}

/** An HTTP endpoint: why it cannot be reached, or undefined when it answers (any status). */
export interface ReachabilityPort {
  problem(url: string, timeoutMs: number): Promise<string | undefined>;
}

/** The deployed stack's outputs (CloudFormation's, or the sandbox's equivalent), by output key. */
export interface StackOutputsPort {
  outputs(): Promise<Readonly<Record<string, string>>>;
}

/** ELBv2: whether the target groups and listener rules a native strategy names exist. */
export interface LoadBalancingPort {
  targetGroupExists(targetGroupArn: string): Promise<boolean>;
  listenerRuleExists(ruleArn: string): Promise<boolean>;
}

/** IAM: whether a role exists. */
export interface RolesPort {
  roleExists(roleArn: string): Promise<boolean>;
}

/** What one catalog target is read through: its account and region's ECS, CloudWatch, ELBv2 and IAM, its registry's ECR. */
export interface TargetReadPorts {
  /** Where the target lives, and the deployment role assumed there (none: the automation's own credentials). */
  access: TargetAccess;
  /** Assumes the target's role now; rejects with STS's reason (TargetAccessError) when it cannot. */
  assumeRole(): Promise<void>;
  ecs: Pick<EcsPort, 'describeService' | 'describeTaskDefinition'>;
  repositories: RepositoriesPort;
  metrics: MetricListPort;
  /** Absent where there is no ELBv2 API to ask (the sandbox, whose ECS refuses a missing group or rule itself). */
  loadBalancing?: LoadBalancingPort;
  /** Absent where there is no IAM API to ask (the sandbox). */
  roles?: RolesPort;
}

/** Everything the doctor reads. */
export interface DoctorPorts {
  parameters: ParameterNamesPort;
  reachability: ReachabilityPort;
  stack: StackOutputsPort;
  /** The ports a catalog target is read through, in its own account and region. */
  target(target: DoctorTarget): TargetReadPorts;
}
