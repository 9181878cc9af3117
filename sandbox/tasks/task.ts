import type { Task as AwsTask, Container, HealthCheck, TaskOverride } from '@aws-sdk/client-ecs';
import { clone } from '../aws/clone.ts';
import type { RunningContainer } from './runtime.ts';

// One ECS task: its containers and where it is in ECS's task lifecycle
// (PROVISIONING → PENDING → RUNNING → DEACTIVATING → STOPPING →
// DEPROVISIONING → STOPPED), with the timestamps and stop reasons that
// DescribeTasks shows. The runner (runner.ts) moves it along.

export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

/** Why a task stopped without the scheduler asking: what the deployment circuit breaker counts. */
export type TaskFailure = 'failed-to-start' | 'essential-container-exited' | 'failed-health-checks';

export type StopCode =
  | 'TaskFailedToStart'
  | 'EssentialContainerExited'
  | 'UserInitiated'
  | 'ServiceSchedulerInitiated'
  | 'InfrastructureHealth';

export interface TaskContainer {
  name: string;
  arn: string;
  runtimeId: string;
  image: string;
  essential: boolean;
  containerPort?: number;
  environment: Record<string, string>;
  secrets: { name: string; valueFrom: string }[];
  healthCheck?: HealthCheck;
  cpu?: number;
  memory?: number;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  healthStatus: HealthStatus;
  imageDigest?: string;
  exitCode?: number;
  reason?: string;
  running?: RunningContainer;
}

export interface TaskInit {
  id: string;
  arn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  containers: TaskContainer[];
  host: string;
  availabilityZone: string;
  launchType: string;
  cpu?: string;
  memory?: string;
  /** `service:<name>` for service tasks. */
  group?: string;
  /** The deployment id (`ecs-svc/…`) that launched it. */
  startedBy?: string;
  /** The service revision it belongs to (the sandbox's grouping of a service's tasks). */
  serviceRevisionArn?: string;
  tags?: { key: string; value: string }[];
  /** What RunTask's `overrides` changed; by default ECS lists each container by name. */
  overrides?: TaskOverride;
}

export class Task {
  readonly id: string;
  readonly arn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly containers: TaskContainer[];
  readonly host: string;
  readonly availabilityZone: string;
  readonly launchType: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly group?: string;
  readonly startedBy?: string;
  readonly serviceRevisionArn?: string;
  readonly tags: { key: string; value: string }[];
  readonly overrides: TaskOverride;
  readonly createdAt = new Date();

  lastStatus: TaskStatus = 'PROVISIONING';
  desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING';
  healthStatus: HealthStatus = 'UNKNOWN';
  version = 1;
  pullStartedAt?: Date;
  pullStoppedAt?: Date;
  startedAt?: Date;
  connectivityAt?: Date;
  stoppingAt?: Date;
  executionStoppedAt?: Date;
  stoppedAt?: Date;
  stopCode?: StopCode;
  stoppedReason?: string;
  /** Set when the task stopped on its own; the scheduler counts it once. */
  failure?: TaskFailure;
  failureCounted = false;

  constructor(init: TaskInit) {
    this.id = init.id;
    this.arn = init.arn;
    this.clusterArn = init.clusterArn;
    this.taskDefinitionArn = init.taskDefinitionArn;
    this.containers = init.containers;
    this.host = init.host;
    this.availabilityZone = init.availabilityZone;
    this.launchType = init.launchType;
    this.tags = init.tags ?? [];
    this.overrides = init.overrides ?? {
      containerOverrides: init.containers.map((c) => ({ name: c.name })),
      inferenceAcceleratorOverrides: [],
    };
    if (init.cpu !== undefined) this.cpu = init.cpu;
    if (init.memory !== undefined) this.memory = init.memory;
    if (init.group !== undefined) this.group = init.group;
    if (init.startedBy !== undefined) this.startedBy = init.startedBy;
    if (init.serviceRevisionArn !== undefined) this.serviceRevisionArn = init.serviceRevisionArn;
  }

  setStatus(status: TaskStatus): void {
    this.lastStatus = status;
    this.version++;
  }

  /** Whether the task is on its way to STOPPED (asked to, or failed). */
  get stopping(): boolean {
    return this.desiredStatus === 'STOPPED';
  }

  /** The port of the container named `name` (or of the first listening container). */
  portOf(name?: string): number | undefined {
    const container =
      name === undefined ? this.containers.find((c) => c.running) : this.containers.find((c) => c.name === name);
    return container?.running?.port;
  }

  toAws(options: { includeTags?: boolean } = {}): AwsTask {
    const optional = <K extends string, V>(key: K, value: V | undefined) =>
      (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
    return {
      taskArn: this.arn,
      clusterArn: this.clusterArn,
      taskDefinitionArn: this.taskDefinitionArn,
      availabilityZone: this.availabilityZone,
      launchType: this.launchType === 'FARGATE' ? 'FARGATE' : 'EC2',
      ...(this.launchType === 'FARGATE' ? { platformVersion: '1.4.0', platformFamily: 'Linux' } : {}),
      lastStatus: this.lastStatus,
      desiredStatus: this.desiredStatus,
      healthStatus: this.healthStatus,
      version: this.version,
      createdAt: this.createdAt,
      ...optional('connectivity', this.connectivityAt ? ('CONNECTED' as const) : undefined),
      ...optional('connectivityAt', this.connectivityAt),
      ...optional('cpu', this.cpu),
      ...optional('memory', this.memory),
      ...optional('group', this.group),
      ...optional('startedBy', this.startedBy),
      ...optional('pullStartedAt', this.pullStartedAt),
      ...optional('pullStoppedAt', this.pullStoppedAt),
      ...optional('startedAt', this.startedAt),
      ...optional('stoppingAt', this.stoppingAt),
      ...optional('executionStoppedAt', this.executionStoppedAt),
      ...optional('stoppedAt', this.stoppedAt),
      ...optional('stopCode', this.stopCode),
      ...optional('stoppedReason', this.stoppedReason),
      containers: this.containers.map((c) => this.#containerView(c)),
      overrides: clone(this.overrides),
      ...(options.includeTags ? { tags: this.tags.map((t) => ({ ...t })) } : {}),
    };
  }

  #containerView(c: TaskContainer): Container {
    const port = c.running?.port;
    return {
      containerArn: c.arn,
      taskArn: this.arn,
      name: c.name,
      image: c.image,
      runtimeId: c.runtimeId,
      lastStatus: c.lastStatus,
      healthStatus: c.healthStatus,
      ...(c.imageDigest === undefined ? {} : { imageDigest: c.imageDigest }),
      ...(c.exitCode === undefined ? {} : { exitCode: c.exitCode }),
      ...(c.reason === undefined ? {} : { reason: c.reason }),
      ...(c.cpu === undefined ? {} : { cpu: String(c.cpu) }),
      ...(c.memory === undefined ? {} : { memory: String(c.memory) }),
      // The sandbox's "ENI" is loopback; the host port is where the container really listens.
      networkBindings:
        port === undefined
          ? []
          : [{ bindIP: this.host, containerPort: c.containerPort ?? port, hostPort: port, protocol: 'tcp' }],
      networkInterfaces: [{ attachmentId: `eni-attach-${this.id.slice(0, 17)}`, privateIpv4Address: this.host }],
    };
  }
}
