import type { Arns } from '../aws/arns.ts';
import type { ListenerRule } from '../lb/listener-rule.ts';
import type { TargetGroup } from '../lb/target-group.ts';
import type { TaskRunner } from '../tasks/runner.ts';
import type { TaskStore } from '../tasks/store.ts';
import type { Task } from '../tasks/task.ts';
import type { EcsEventListener } from './bus-events.ts';
import type { Clusters } from './clusters.ts';
import type { Pacer } from './pacing.ts';
import type { ServiceEventListener } from './service-events.ts';
import type { ServiceRecord } from './service-model.ts';
import type { ServiceRegistry } from './service-registry.ts';
import type { TaskDefinitions } from './task-definitions.ts';

/** Everything the ECS emulator's operations and its scheduler share. */
export interface EcsState {
  arns: Arns;
  /** The loopback address tasks listen on. */
  host: string;
  pacer: Pacer;
  clusters: Clusters;
  taskDefinitions: TaskDefinitions;
  services: ServiceRegistry;
  tasks: TaskStore;
  runner: TaskRunner;
  /** The sandbox's target groups by ARN (a service's loadBalancers name them). */
  targetGroup: (arn: string) => TargetGroup | undefined;
  /** The sandbox's listener rules by ARN (advancedConfiguration names them). */
  listenerRule: (arn: string) => ListenerRule | undefined;
  onServiceEvent?: ServiceEventListener;
  /** Receives every event ECS puts on the event bus (source aws.ecs). */
  onEvent?: EcsEventListener;
}

/** Every task (running or stopped) of a service. */
export const serviceTasks = (state: EcsState, service: ServiceRecord): Task[] =>
  state.tasks.inGroup(service.cluster.arn, `service:${service.name}`);

/** Tasks ECS still wants running (desiredStatus RUNNING). */
export const isLive = (task: Task): boolean => task.desiredStatus === 'RUNNING';

/**
 * The target groups a revision's tasks register with (one per load
 * balancer); without a revision, every target group the service may use.
 */
export function targetGroupsOf(state: EcsState, service: ServiceRecord, revisionArn?: string): TargetGroup[] {
  const arns = service.loadBalancers.flatMap((lb) => {
    if (lb.targetGroupArn === undefined) return [];
    const alternate = lb.advancedConfiguration?.alternateTargetGroupArn;
    if (alternate === undefined) return [lb.targetGroupArn];
    if (revisionArn === undefined) return [lb.targetGroupArn, alternate];
    return [service.revisionTargetGroups.get(revisionArn) ?? lb.targetGroupArn];
  });
  return arns.flatMap((arn) => state.targetGroup(arn) ?? []);
}

/** Whether a task counts as healthy for the service: RUNNING, passing its load balancer's and its containers' health checks. */
export function isHealthy(state: EcsState, service: ServiceRecord, task: Task): boolean {
  if (task.lastStatus !== 'RUNNING' || task.stopping) return false;
  for (const group of targetGroupsOf(state, service, task.serviceRevisionArn)) {
    if (group.health(task.id)?.state !== 'healthy') return false;
  }
  const checked = task.containers.some((c) => c.essential && c.healthCheck);
  return !checked || task.healthStatus === 'HEALTHY';
}
