import { randomUUID } from 'node:crypto';
import type { Task as AwsTask } from '@aws-sdk/client-ecs';
import type { AwsLocation } from '../aws/location.ts';
import type { Task } from '../tasks/task.ts';

// The events ECS puts on the default event bus (source `aws.ecs`), field for
// field as the Amazon ECS Developer Guide shows them: "ECS Deployment State
// Change" when a deployment starts (a rollback too: its `reason` says so),
// completes (steady) or fails (circuit breaker), with the deployment's
// `ecs-svc/…` id as DescribeServices shows it; "ECS Service Action" when a
// service reaches a steady state or cannot start tasks consistently; "ECS
// Task State Change" (DescribeTasks' task, dates as ISO strings) whenever a
// task is created, is asked to stop, or moves on in its lifecycle.
// EventBridge delivers them at least once and in no promised order; the
// sandbox's event faults (drop, delay, duplicate on `events.aws.ecs`) make
// losing, reordering and repeating them testable.

/** An event from `aws.ecs` of one detail-type. */
export interface EcsEvent<Type extends string, Detail> {
  version: '0';
  id: string;
  'detail-type': Type;
  source: 'aws.ecs';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

export type DeploymentEventName =
  | 'SERVICE_DEPLOYMENT_IN_PROGRESS'
  | 'SERVICE_DEPLOYMENT_COMPLETED'
  | 'SERVICE_DEPLOYMENT_FAILED';

/** `ECS Deployment State Change`: the documented detail has no cluster; `resources` is the service's ARN. */
export type EcsDeploymentStateChangeEvent = EcsEvent<
  'ECS Deployment State Change',
  {
    eventType: 'INFO' | 'ERROR';
    eventName: DeploymentEventName;
    deploymentId: string;
    updatedAt: string;
    reason: string;
  }
>;

export type ServiceActionEventName = 'SERVICE_STEADY_STATE' | 'SERVICE_TASK_START_IMPAIRED';

/** `ECS Service Action` (no `version` in its detail, unlike task and container instance events). */
export type EcsServiceActionEvent = EcsEvent<
  'ECS Service Action',
  {
    eventType: 'INFO' | 'WARN';
    eventName: ServiceActionEventName;
    clusterArn: string;
    createdAt: string;
  }
>;

/** DescribeTasks' task with its dates as ISO 8601 strings, and when it changed; `version` tells duplicates apart. */
export type TaskStateChangeDetail = {
  [K in keyof AwsTask]: NonNullable<AwsTask[K]> extends Date ? string : AwsTask[K];
} & { updatedAt: string };

export type EcsTaskStateChangeEvent = EcsEvent<'ECS Task State Change', TaskStateChangeDetail>;

export type EcsBusEvent = EcsDeploymentStateChangeEvent | EcsServiceActionEvent | EcsTaskStateChangeEvent;

/** Receives every event ECS puts on the bus (the sandbox: the default event bus). */
export type EcsEventListener = (event: EcsBusEvent) => void;

const SERVICE_ACTION_TYPES: Record<ServiceActionEventName, EcsServiceActionEvent['detail']['eventType']> = {
  SERVICE_STEADY_STATE: 'INFO',
  SERVICE_TASK_START_IMPAIRED: 'WARN',
};

/** The `ECS Task State Change` of `task` as it is now. */
export function taskStateChange(location: AwsLocation, task: Task, at = new Date()): EcsTaskStateChangeEvent {
  // JSON turns the view's dates into ISO strings, as the event has them.
  const view = JSON.parse(JSON.stringify(task.toAws())) as Omit<TaskStateChangeDetail, 'updatedAt'>;
  return {
    ...envelope(location, at, task.arn),
    'detail-type': 'ECS Task State Change',
    detail: { ...view, updatedAt: at.toISOString() },
  };
}

/** The envelope every ECS event shares; `time` without milliseconds, as EventBridge writes it. */
function envelope(location: AwsLocation, at: Date, resource: string) {
  return {
    version: '0' as const,
    id: randomUUID(),
    source: 'aws.ecs' as const,
    account: location.accountId,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: location.region,
    resources: [resource],
  };
}

/** One service's events on the bus. Without a listener, nothing is sent. */
export class ServiceBusEvents {
  readonly #location: AwsLocation;
  readonly #serviceArn: string;
  readonly #clusterArn: string;
  readonly #listener: EcsEventListener | undefined;

  constructor(location: AwsLocation, service: { arn: string; clusterArn: string }, listener?: EcsEventListener) {
    this.#location = location;
    this.#serviceArn = service.arn;
    this.#clusterArn = service.clusterArn;
    this.#listener = listener;
  }

  /** An `ECS Deployment State Change` for the deployment `deploymentId` (`ecs-svc/…`). */
  deployment(eventName: DeploymentEventName, deploymentId: string, reason: string, at = new Date()): void {
    this.#send({
      ...envelope(this.#location, at, this.#serviceArn),
      'detail-type': 'ECS Deployment State Change',
      detail: {
        eventType: eventName === 'SERVICE_DEPLOYMENT_FAILED' ? 'ERROR' : 'INFO',
        eventName,
        deploymentId,
        updatedAt: at.toISOString(),
        reason,
      },
    });
  }

  /** An `ECS Service Action` of the service. */
  action(eventName: ServiceActionEventName, at = new Date()): void {
    this.#send({
      ...envelope(this.#location, at, this.#serviceArn),
      'detail-type': 'ECS Service Action',
      detail: {
        eventType: SERVICE_ACTION_TYPES[eventName],
        eventName,
        clusterArn: this.#clusterArn,
        createdAt: at.toISOString(),
      },
    });
  }

  #send(event: EcsBusEvent): void {
    if (!this.#listener) return;
    try {
      this.#listener(event);
    } catch (error) {
      // A listener's failure is the bus's problem, never the scheduler's.
      console.error('ecs: an event listener failed:', error);
    }
  }
}
