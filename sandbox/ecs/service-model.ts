import type {
  DeploymentConfiguration,
  DeploymentLifecycleHookAction,
  DeploymentLifecycleHookStatus,
  LoadBalancer,
  NetworkConfiguration,
  ServiceDeploymentLifecycleStage,
  ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { ServiceBusEvents } from './bus-events.ts';
import type { ClusterRecord } from './clusters.ts';
import type { LaunchThrottle } from './launch-throttle.ts';
import type { ServiceEventLog } from './service-events.ts';

// The state of an ECS service in the sandbox. ECS has two views of a
// deployment and the sandbox keeps both: the classic `deployments` list
// (PRIMARY/ACTIVE, rolloutState) and the service deployments API
// (ServiceDeployment, status PENDING … ROLLBACK_SUCCESSFUL). Tasks belong to
// service revisions: a rollback to a revision adopts its running tasks.

/** A service's configuration at one deployment: here, its task definition. */
export interface ServiceRevision {
  arn: string;
  taskDefinitionArn: string;
  createdAt: Date;
}

/** One entry of DescribeServices' `deployments`. */
export interface RollingDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  revision: ServiceRevision;
  failedTasks: number;
  createdAt: Date;
  updatedAt: Date;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
}

export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  stoppedAt?: Date;
  updatedAt: Date;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  sourceRevisions: ServiceRevision[];
  targetRevision: ServiceRevision;
  /** The service's configuration when the deployment started. */
  deploymentConfiguration: RollingConfiguration;
  /** Task failures of the target revision counted by the circuit breaker. */
  failureCount: number;
  /** Task failures of the revision rolled back to, once rolling back. */
  rollbackFailures: number;
  breakerStatus: 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED';
  rollback?: { reason: string; startedAt: Date; revision: ServiceRevision };
  /** Tasks already seen healthy (resetOnHealthyTask resets the count once per task). */
  healthySeen: Set<string>;
  /** A BLUE_GREEN, CANARY or LINEAR deployment's progress through its lifecycle stages. */
  native?: NativeProgress;
}

/** One run of a PAUSE lifecycle hook (DescribeServiceDeployments' lifecycleHookDetails). */
export interface HookRun {
  hookId: string;
  /** Which entry into a stage ran it: PRE_PRODUCTION_TRAFFIC_SHIFT is entered once per step. */
  visit: number;
  status: DeploymentLifecycleHookStatus;
  expiresAt: Date;
  timeoutAction: DeploymentLifecycleHookAction;
}

/**
 * A service deployment's lifecycle stage. The SDK's enum lacks
 * PRE_PRODUCTION_TRAFFIC_SHIFT, which its own documentation of
 * `lifecycleStage` lists (and hooks run at): ECS answers it, so it is here.
 */
export type LifecycleStage = ServiceDeploymentLifecycleStage | 'PRE_PRODUCTION_TRAFFIC_SHIFT';

/** Where a native deployment stands: its stage, hook runs, traffic steps and target groups. */
export interface NativeProgress {
  /** Unset until the deployment starts (PENDING). */
  stage?: LifecycleStage;
  /** Counts entries into stages; the hook runs of the current one are those with this visit. */
  visit: number;
  runs: HookRun[];
  /** The green revision's share of production traffic after each step, e.g. [5, 100] for a 5% canary. */
  steps: number[];
  /** The current (or next) step. */
  step: number;
  /** When the current wait (a step's bake, the bake time) ends, in real time. */
  waitUntil?: Date;
  blueTargetGroupArn: string;
  greenTargetGroupArn: string;
  productionListenerRule: string;
  testListenerRule?: string;
}

/** A service's deployment configuration with ECS's defaults filled in. */
export interface RollingConfiguration extends DeploymentConfiguration {
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: NonNullable<DeploymentConfiguration['deploymentCircuitBreaker']>;
}

export interface ServiceRecord {
  arn: string;
  name: string;
  cluster: ClusterRecord;
  createdAt: Date;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  launchType: 'FARGATE' | 'EC2';
  networkConfiguration?: NetworkConfiguration;
  loadBalancers: LoadBalancer[];
  healthCheckGracePeriodSeconds: number;
  deploymentConfiguration: RollingConfiguration;
  tags: { key: string; value: string }[];
  propagateTags: 'NONE' | 'SERVICE' | 'TASK_DEFINITION';
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  /** PRIMARY first. */
  deployments: RollingDeployment[];
  /** Oldest first. */
  serviceDeployments: ServiceDeploymentRecord[];
  current: ServiceDeploymentRecord;
  /** The revision of the last deployment that completed: where a rollback returns. */
  lastCompleted?: ServiceRevision;
  events: ServiceEventLog;
  /** What ECS puts on the event bus about the service (deployment state changes, service actions). */
  busEvents: ServiceBusEvents;
  /** Backs launches off while tasks keep failing to start. */
  launchThrottle: LaunchThrottle;
  /** Whether "has reached a steady state" was said since the last change. */
  steady: boolean;
  /** Task ids registered with the service's target groups. */
  registered: Set<string>;
  /**
   * Which target group each revision's tasks register with, for a load
   * balancer with advancedConfiguration: native deployments put the new
   * revision in the target group the live one is not in.
   */
  revisionTargetGroups: Map<string, string>;
}

export const primaryOf = (service: ServiceRecord): RollingDeployment => {
  const primary = service.deployments[0];
  if (!primary) throw new Error(`service ${service.name} has no deployment`);
  return primary;
};

/** Deployment statuses after which nothing changes any more. */
export const TERMINAL_STATUSES: ReadonlySet<ServiceDeploymentStatus> = new Set([
  'SUCCESSFUL',
  'STOPPED',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
]);
