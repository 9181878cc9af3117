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

/** An ECS service as a release sees it. */
export interface EcsService {
  arn: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  /** The revision the service runs (absent for services whose deployments ECS does not control). */
  taskDefinitionArn?: string;
  currentServiceDeploymentArn?: string;
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

/** A service deployment: where it is and what ECS says about why. */
export interface ServiceDeployment {
  arn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  createdAt?: Date;
  circuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
  rollbackReason?: string;
}

/** A stopped task and why it stopped. */
export interface StoppedTask {
  taskArn: string;
  taskDefinitionArn?: string;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  containers: { name?: string; exitCode?: number; reason?: string }[];
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
  /** Points the service at a revision, changing nothing else; returns the service deployment ECS started, if it says. */
  updateService(
    cluster: string,
    service: string,
    taskDefinitionArn: string,
  ): Promise<{ serviceDeploymentArn?: string }>;
  /** The ARN of the service's most recently created service deployment, if any. */
  latestServiceDeployment(cluster: string, service: string): Promise<string | undefined>;
  /** The service deployment, or undefined when ECS does not know it. */
  describeServiceDeployment(serviceDeploymentArn: string): Promise<ServiceDeployment | undefined>;
  /** Stops a running service deployment and has ECS roll the service back to its previous revision. */
  rollbackServiceDeployment(serviceDeploymentArn: string): Promise<void>;
  /** The service's stopped tasks that ECS still lists (up to 100), newest first. */
  stoppedTasks(cluster: string, service: string): Promise<StoppedTask[]>;
}
