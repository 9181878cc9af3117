import type { TargetGroup } from '../lb/target-group.ts';
import type { Task, TaskStatus } from '../tasks/task.ts';
import { countFailure, countHealthy } from './circuit-breaker.ts';
import { beginRollback } from './deployments.ts';
import { advanceNative, blueMustRun, greenMayStart, switchTrafficBack } from './native-deployment.ts';
import { taskList } from './service-events.ts';
import { primaryOf, type ServiceRecord } from './service-model.ts';
import { newServiceTask } from './service-task.ts';
import { type EcsState, isHealthy, isLive, serviceTasks, targetGroupsOf } from './state.ts';

// The service scheduler: on every tick, for every service, it does what ECS's
// does for a rolling update. It registers running tasks with the load
// balancer, replaces tasks that fail health checks, counts failures for the
// circuit breaker, launches tasks of the PRIMARY deployment up to
// maximumPercent, stops tasks of older deployments while at least
// minimumHealthyPercent stay healthy, and marks the deployment completed
// once only healthy tasks of the new revision are left. A deleted
// (DRAINING) service has its tasks stopped, then becomes INACTIVE.

const ENDING: ReadonlySet<TaskStatus> = new Set(['STOPPING', 'DEPROVISIONING', 'STOPPED']);

export class ServiceScheduler {
  readonly #state: EcsState;
  #stopTicking: (() => void) | undefined;
  #ticks = 0;

  constructor(state: EcsState) {
    this.#state = state;
  }

  start(): void {
    this.#stopTicking ??= this.#state.pacer.every(this.#state.pacer.pacing.schedulerTick, () => this.tick());
  }

  stop(): void {
    this.#stopTicking?.();
    this.#stopTicking = undefined;
  }

  tick(): void {
    for (const service of this.#state.services.all()) {
      try {
        this.reconcile(service);
      } catch (error) {
        console.error(`ecs: reconciling service ${service.name} failed:`, error);
      }
    }
    if (++this.#ticks % 50 === 0) this.#state.tasks.prune();
  }

  reconcile(service: ServiceRecord): void {
    if (service.status === 'DRAINING') {
      this.#retire(service);
      return;
    }
    if (service.status !== 'ACTIVE') return;
    const deployment = service.current;
    if (deployment.status === 'PENDING') {
      deployment.status = 'IN_PROGRESS';
      deployment.startedAt = new Date();
      deployment.updatedAt = deployment.startedAt;
      const primary = primaryOf(service);
      service.busEvents.deployment('SERVICE_DEPLOYMENT_IN_PROGRESS', primary.id, primary.rolloutStateReason);
    }
    const rollbackBegins = deployment.status === 'ROLLBACK_REQUESTED';
    if (rollbackBegins) {
      switchTrafficBack(this.#state, deployment);
      beginRollback(service, deployment);
    }
    advanceNative(this.#state, service, deployment);

    const tasks = serviceTasks(this.#state, service);
    this.#registerTargets(service, tasks);
    this.#replaceUnhealthy(service, tasks);
    const primaryRevision = primaryOf(service).revision.arn;
    for (const task of tasks) {
      if (task.failure && !task.failureCounted) {
        task.failureCounted = true;
        const owner = service.deployments.find((d) => d.revision.arn === task.serviceRevisionArn);
        if (owner) owner.failedTasks++;
        service.steady = false;
        if (task.failure === 'failed-to-start') this.#failedToStart(service, task);
        countFailure(service, deployment, task.serviceRevisionArn, task.failure);
      }
      if (task.startedAt && task.serviceRevisionArn === primaryRevision) {
        service.launchThrottle.started(task.startedAt.getTime());
      }
      if (task.serviceRevisionArn === deployment.targetRevision.arn && isHealthy(this.#state, service, task)) {
        countHealthy(service, deployment, task.id);
      }
    }
    this.#scale(service, tasks);
    // An older deployment with nothing left running is INACTIVE: ECS drops it from the list.
    service.deployments = service.deployments.filter(
      (d) =>
        d.status === 'PRIMARY' ||
        tasks.some((t) => t.serviceRevisionArn === d.revision.arn && t.lastStatus !== 'STOPPED'),
    );
    // A rollback shows ROLLBACK_IN_PROGRESS for at least one tick, as in ECS, even when nothing is left to stop.
    if (!rollbackBegins) this.#checkCompleted(service, tasks);
  }

  /**
   * A task that never ran: its reason in the service's events, and ECS's
   * throttle backs launches off; from the second failed attempt in a row the
   * service is impaired, in its events and on the bus.
   */
  #failedToStart(service: ServiceRecord, task: Task): void {
    service.events.add(`(task ${task.id}) failed to start: ${task.stoppedReason ?? 'unknown reason'}`);
    const attempt = service.launchThrottle.failed(this.#state.pacer);
    if (!attempt || attempt.attempts < 2) return;
    service.events.add(
      'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    service.busEvents.action('SERVICE_TASK_START_IMPAIRED');
  }

  /** A deleted service stops every task (draining it first); INACTIVE once all are stopping, as in ECS. */
  #retire(service: ServiceRecord): void {
    const tasks = serviceTasks(this.#state, service);
    const live = tasks.filter(isLive);
    if (live.length > 0)
      this.#stop(service, live, `Scaling activity initiated by (deployment ${primaryOf(service).id})`);
    if (tasks.every((t) => ENDING.has(t.lastStatus))) service.status = 'INACTIVE';
  }

  #targetGroups(service: ServiceRecord): TargetGroup[] {
    return targetGroupsOf(this.#state, service);
  }

  /** Registers running tasks with their revision's target group (the alternate one for a native deployment's green). */
  #registerTargets(service: ServiceRecord, tasks: Task[]): void {
    const fresh = tasks.filter((t) => t.lastStatus === 'RUNNING' && !t.stopping && !service.registered.has(t.id));
    if (fresh.length === 0) return;
    const registered = new Map<string, number>();
    for (const task of fresh) {
      for (const lb of service.loadBalancers) {
        const group = targetGroupsOf(this.#state, { ...service, loadBalancers: [lb] }, task.serviceRevisionArn)[0];
        const port = task.portOf(lb.containerName);
        if (!group || port === undefined) continue;
        group.register(task.id, task.host, port);
        registered.set(group.arn, (registered.get(group.arn) ?? 0) + 1);
      }
      service.registered.add(task.id);
    }
    for (const [arn, count] of registered) service.events.add(`registered ${count} targets in (target-group ${arn})`);
  }

  #replaceUnhealthy(service: ServiceRecord, tasks: Task[]): void {
    const graceMs = this.#state.pacer.ms(service.healthCheckGracePeriodSeconds, 0);
    for (const task of tasks) {
      if (task.lastStatus !== 'RUNNING' || task.stopping) continue;
      if (task.healthStatus === 'UNHEALTHY') {
        service.events.add(`(task ${task.id}) failed container health checks.`);
        this.#stop(service, [task], 'Task failed container health checks', 'failed-health-checks');
        continue;
      }
      if ((task.startedAt?.getTime() ?? 0) + graceMs > Date.now()) continue;
      for (const group of this.#targetGroups(service)) {
        const health = group.health(task.id);
        if (health?.state !== 'unhealthy') continue;
        const port = group.targets().find((t) => t.id === task.id)?.port;
        service.events.add(
          `(port ${port}) is unhealthy in (target-group ${group.arn}) due to (reason ${health.description ?? 'Health checks failed'}).`,
        );
        this.#stop(
          service,
          [task],
          `Task failed ELB health checks in (target-group ${group.arn})`,
          'failed-health-checks',
        );
        break;
      }
    }
  }

  #scale(service: ServiceRecord, tasks: Task[]): void {
    const { pacer } = this.#state;
    const primary = primaryOf(service);
    const config = service.deploymentConfiguration;
    const desired = service.desiredCount;
    const maxTotal = Math.floor((desired * config.maximumPercent) / 100);
    const minHealthy = Math.ceil((desired * config.minimumHealthyPercent) / 100);
    const live = tasks.filter(isLive);
    const ofPrimary = live.filter((t) => t.serviceRevisionArn === primary.revision.arn);
    const older = live.filter((t) => t.serviceRevisionArn !== primary.revision.arn);

    // A FAILED deployment (circuit breaker) launches nothing more, also while its rollback is only requested.
    // A native deployment scales green to the full count beside blue (maximumPercent does not apply), from SCALE_UP on.
    const deployment = service.current;
    const room = blueMustRun(deployment) ? desired : maxTotal - live.length;
    const throttled = !service.launchThrottle.mayLaunch();
    const launch =
      primary.rolloutState === 'FAILED' || !greenMayStart(deployment) || throttled
        ? 0
        : Math.min(desired - ofPrimary.length, room);
    if (launch > 0 && !pacer.stopped) {
      const started = Array.from({ length: launch }, () => newServiceTask(this.#state, service, primary));
      for (const task of started) {
        this.#state.tasks.add(task);
        this.#state.runner.launch(task);
      }
      service.events.add(`has started ${started.length} tasks: ${taskList(started.map((t) => t.id))}.`);
      service.steady = false;
    }

    const healthy = (task: Task) => isHealthy(this.#state, service, task);
    // Too many tasks of the current revision (desired count lowered): the unhealthy and newest go first.
    const excess = ofPrimary.length - desired;
    if (excess > 0) {
      const victims = [...ofPrimary]
        .sort((a, b) => Number(healthy(a)) - Number(healthy(b)) || b.createdAt.getTime() - a.createdAt.getTime())
        .slice(0, excess);
      this.#stop(service, victims, `Scaling activity initiated by (deployment ${primary.id})`);
    }

    // Older tasks: the unhealthy ones go at once, healthy ones while minimumHealthyPercent allows;
    // a native deployment keeps blue whole until CLEAN_UP (a rollback is then a traffic switch).
    if (blueMustRun(deployment)) return;
    let spare = live.filter(healthy).length - minHealthy;
    const retire = [...older]
      .sort((a, b) => Number(healthy(a)) - Number(healthy(b)))
      .filter((task) => !healthy(task) || spare-- > 0);
    if (retire.length > 0) this.#stop(service, retire, `Scaling activity initiated by (deployment ${primary.id})`);
  }

  #stop(service: ServiceRecord, tasks: Task[], reason: string, failure?: 'failed-health-checks'): void {
    const stoppable = tasks.filter((t) => !t.stopping);
    if (stoppable.length === 0) return;
    const groups = this.#targetGroups(service);
    const draining = stoppable.filter((t) => service.registered.has(t.id));
    for (const task of stoppable) {
      const registered = service.registered.has(task.id);
      this.#state.runner.stop(task, {
        reason,
        stopCode: 'ServiceSchedulerInitiated',
        ...(failure ? { failure } : {}),
        ...(registered ? { drain: () => this.#drain(service, task, groups) } : {}),
      });
    }
    if (!failure)
      service.events.add(`has stopped ${stoppable.length} running tasks: ${taskList(stoppable.map((t) => t.id))}.`);
    if (draining.length > 0) service.events.add(`has begun draining connections on ${draining.length} tasks.`);
    service.steady = false;
  }

  async #drain(service: ServiceRecord, task: Task, groups: TargetGroup[]): Promise<void> {
    await Promise.all(groups.map((group) => group.deregister(task.id)));
    service.registered.delete(task.id);
    if (this.#state.pacer.stopped) return;
    for (const group of groups) service.events.add(`deregistered 1 targets in (target-group ${group.arn})`);
  }

  #checkCompleted(service: ServiceRecord, tasks: Task[]): void {
    const primary = primaryOf(service);
    const deployment = service.current;
    if (blueMustRun(deployment)) return;
    const ofPrimary = tasks.filter((t) => isLive(t) && t.serviceRevisionArn === primary.revision.arn);
    const stable =
      ofPrimary.length === service.desiredCount &&
      ofPrimary.every((t) => isHealthy(this.#state, service, t)) &&
      tasks.every((t) => t.lastStatus === 'STOPPED' || (isLive(t) && t.serviceRevisionArn === primary.revision.arn));
    if (!stable) return;

    if (primary.rolloutState === 'IN_PROGRESS') {
      const now = new Date();
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.updatedAt = now;
      service.lastCompleted = primary.revision;
      service.events.add(`(deployment ${primary.id}) deployment completed.`);
      service.busEvents.deployment('SERVICE_DEPLOYMENT_COMPLETED', primary.id, primary.rolloutStateReason, now);
      if (deployment.status === 'IN_PROGRESS' || deployment.status === 'ROLLBACK_IN_PROGRESS') {
        deployment.status = deployment.status === 'IN_PROGRESS' ? 'SUCCESSFUL' : 'ROLLBACK_SUCCESSFUL';
        deployment.finishedAt = now;
        deployment.updatedAt = now;
        if (deployment.breakerStatus === 'MONITORING') deployment.breakerStatus = 'MONITORING_COMPLETE';
      }
    }
    if (!service.steady && primary.rolloutState === 'COMPLETED') {
      service.steady = true;
      service.events.add('has reached a steady state.');
      service.busEvents.action('SERVICE_STEADY_STATE');
    }
  }
}
