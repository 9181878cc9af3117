// The ECS operations a release needs, in the domain's terms. Timestamps are
// Dates; anything ECS may leave out is optional, so the domain decides what a
// missing field means.

/** One container of a task definition: the fields a release reads, every other field carried as is. */
export interface ContainerDefinition {
  name?: string;
  image?: string;
  [field: string]: unknown;
}

/** A task definition as DescribeTaskDefinition returns it; fields a release does not read are carried as is. */
export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containerDefinitions: ContainerDefinition[];
  [field: string]: unknown;
}

/** A resource tag (task definitions keep theirs across revisions). */
export interface ResourceTag {
  key?: string;
  value?: string;
}

/** What RegisterTaskDefinition takes: a task definition without its read-only fields, and its tags. */
export interface TaskDefinitionRegistration {
  family: string;
  containerDefinitions: ContainerDefinition[];
  tags?: ResourceTag[];
  [field: string]: unknown;
}

/** One line of a service's event log. */
export interface ServiceEvent {
  at: Date;
  message: string;
}

/** A service's deployment configuration as ECS names its fields; those a release does not set are carried as is. */
export interface DeploymentSettings {
  /** ROLLING, BLUE_GREEN, CANARY or LINEAR. */
  strategy?: string;
  [field: string]: unknown;
}

/** ECS's native strategies: ECS shifts traffic between two target groups. */
export type NativeDeploymentStrategy = 'CANARY' | 'LINEAR' | 'BLUE_GREEN';

/** Every lifecycle stage of a service deployment, as DescribeServiceDeployments names them. */
export const DEPLOYMENT_LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
export type DeploymentLifecycleStage = (typeof DEPLOYMENT_LIFECYCLE_STAGES)[number];

/**
 * What UpdateService sets beside the revision for a native strategy, in the
 * SDK's field names (DeploymentConfiguration, LoadBalancer, AdvancedConfiguration).
 */
export interface NativeRollout {
  deploymentConfiguration: DeploymentSettings & {
    strategy: NativeDeploymentStrategy;
    bakeTimeInMinutes: number;
    canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
    linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
    /** PAUSE hooks take no target ARN: the deployment waits for ContinueServiceDeployment. */
    lifecycleHooks: { targetType: 'PAUSE'; lifecycleStages: DeploymentLifecycleStage[] }[];
  };
  loadBalancers: {
    targetGroupArn: string;
    containerName: string;
    containerPort: number;
    advancedConfiguration: {
      alternateTargetGroupArn: string;
      productionListenerRule: string;
      testListenerRule?: string;
      roleArn: string;
    };
  }[];
}

/** An ECS service as a release sees it. */
export interface EcsService {
  arn: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  /** The revision the service runs (absent for services whose deployments ECS does not control). */
  taskDefinitionArn?: string;
  currentServiceDeploymentArn?: string;
  /** ECS, CODE_DEPLOY or EXTERNAL; absent when ECS does not say (ECS is the default). */
  deploymentController?: string;
  deploymentConfiguration?: DeploymentSettings;
  /**
   * The target group of the service's (first) load balancer as ECS reports it now. For a
   * native strategy that is the group serving production: ECS swaps the pair after each
   * successful deployment, so the next new revision goes to the other one.
   */
  productionTargetGroupArn?: string;
  /** Newest first, as ECS lists them. */
  events: ServiceEvent[];
}

/** Every state of an ECS service deployment. */
export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

/** A lifecycle hook of a service deployment, as DescribeServiceDeployments reports it. */
export interface LifecycleHookDetail {
  hookId?: string;
  /** AWS_LAMBDA or PAUSE. */
  targetType?: string;
  /** AWAITING_ACTION, IN_PROGRESS, SUCCEEDED, FAILED or TIMED_OUT. */
  status?: string;
  expiresAt?: Date;
  /** CONTINUE or ROLLBACK: what ECS does when the hook expires. */
  timeoutAction?: string;
}

/** A service deployment: where it is and what ECS says about why. */
export interface ServiceDeployment {
  arn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  createdAt?: Date;
  circuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
  rollbackReason?: string;
  /** Where a native deployment is (absent for rolling updates). */
  lifecycleStage?: DeploymentLifecycleStage;
  lifecycleHooks: LifecycleHookDetail[];
  /** A native deployment's share of production traffic on the new revision (percent), as ECS last set it. */
  productionWeight?: number;
}

/** The answer to a paused lifecycle hook. */
export type HookAction = 'CONTINUE' | 'ROLLBACK';

/** A stopped task and why it stopped. */
export interface StoppedTask {
  taskArn: string;
  taskDefinitionArn?: string;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  containers: { name?: string; exitCode?: number; reason?: string }[];
}

/** A task a service runs or is starting; ECS reads its secrets after it created the task. */
export interface RunningTask {
  taskArn: string;
  createdAt?: Date;
}

/** ECS, as the release functions use it. Throttling and 5xx failures reject with TransientError. */
export interface EcsPort {
  /** The service, or undefined when the cluster (or the service in it) does not exist. */
  describeService(cluster: string, service: string): Promise<EcsService | undefined>;
  /** A task definition, with its tags when asked for (empty otherwise). */
  describeTaskDefinition(
    taskDefinition: string,
    options?: { withTags?: boolean },
  ): Promise<{ taskDefinition: TaskDefinition; tags: ResourceTag[] }>;
  /** The ARNs of a family's newest ACTIVE revisions, newest first, at most `count`. */
  latestRevisions(family: string, count: number): Promise<string[]>;
  /**
   * Registers a new revision and returns its ARN. Not idempotent, so never
   * resent on its own: a failure may hide a revision that was registered.
   */
  registerTaskDefinition(registration: TaskDefinitionRegistration): Promise<string>;
  /**
   * Points the service at a revision, changing nothing else unless a native
   * rollout is given (then its strategy, hooks and load balancers too);
   * returns the service deployment ECS started, if it says.
   */
  updateService(
    cluster: string,
    service: string,
    taskDefinitionArn: string,
    rollout?: NativeRollout,
  ): Promise<{ serviceDeploymentArn?: string }>;
  /**
   * Starts a deployment of the revision the service already runs, so new tasks
   * replace the running ones (and read their secrets again); returns the
   * service deployment ECS started, if it says.
   */
  forceNewDeployment(cluster: string, service: string): Promise<{ serviceDeploymentArn?: string }>;
  /** The ARN of the service's most recently created service deployment, if any. */
  latestServiceDeployment(cluster: string, service: string): Promise<string | undefined>;
  /** The service deployment, or undefined when ECS does not know it. */
  describeServiceDeployment(serviceDeploymentArn: string): Promise<ServiceDeployment | undefined>;
  /** Stops a running service deployment and has ECS roll the service back to its previous revision. */
  rollbackServiceDeployment(serviceDeploymentArn: string): Promise<void>;
  /** Answers a paused lifecycle hook of a native deployment: go on to the next stage, or roll back. */
  continueServiceDeployment(serviceDeploymentArn: string, hookId: string, action: HookAction): Promise<void>;
  /** The service's stopped tasks that ECS still lists (up to 100), newest first. */
  stoppedTasks(cluster: string, service: string): Promise<StoppedTask[]>;
  /** Every task the service runs or is starting (desired status RUNNING); none when the service does not exist. */
  runningTasks(cluster: string, service: string): Promise<RunningTask[]>;
}
