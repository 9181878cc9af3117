import type { ResolvedImage } from '../ecr/registry.ts';
import { type Pacer, WorldStoppedError } from '../ecs/pacing.ts';
import { watchContainerHealth } from './container-health.ts';
import type { ContainerRuntime } from './runtime.ts';
import type { StopCode, Task, TaskFailure, TaskStatus } from './task.ts';

// Moves tasks through their lifecycle: provision, pull (the image must be in
// the sandbox's ECR), fetch secrets, start every container (a container that
// exits at start stops the task), run, and on a stop request deactivate
// (drain from the load balancer), stop the containers and deprovision. Each
// phase takes its paced time; every flow ends when the world stops.

export interface TaskRunnerOptions {
  pacer: Pacer;
  resolveImage: (reference: string) => ResolvedImage | undefined;
  runtime: ContainerRuntime;
  /** Reads a container secret's `valueFrom` (an SSM parameter); undefined when it does not exist. Without it, secrets are skipped. */
  resolveSecret?: (valueFrom: string) => Promise<string | undefined>;
  onError?: (error: unknown) => void;
  /** Told of every change ECS would report: a new task, a new desired status, each next last status. */
  onChange?: (task: Task) => void;
}

export interface StopRequest {
  reason: string;
  stopCode: StopCode;
  /** Set when the task is stopped because it failed (the circuit breaker counts it). */
  failure?: TaskFailure;
  /** Runs while the task is DEACTIVATING: the load balancer's deregistration and draining. */
  drain?: () => Promise<void>;
}

export class TaskRunner {
  readonly #options: TaskRunnerOptions;
  readonly #flows = new Set<Promise<void>>();
  readonly #pendingStops = new Map<Task, StopRequest>();
  readonly #healthWatches = new Map<Task, () => void>();

  constructor(options: TaskRunnerOptions) {
    this.#options = options;
  }

  /** Starts a new task's lifecycle (it was created PROVISIONING). */
  launch(task: Task): void {
    this.#changed(task);
    this.#track(this.#start(task));
  }

  /** Asks a task to stop; a task still starting stops as soon as its current phase ends. */
  stop(task: Task, request: StopRequest): void {
    if (task.stopping) return;
    task.desiredStatus = 'STOPPED';
    task.stopCode = request.stopCode;
    task.stoppedReason = request.reason;
    task.stoppingAt = new Date();
    if (request.failure) task.failure = request.failure;
    task.version++;
    this.#changed(task);
    if (task.lastStatus === 'RUNNING') this.#track(this.#stopFlow(task, request));
    else this.#pendingStops.set(task, request);
  }

  /** After the pacer has stopped: waits for every flow to end, then closes whatever still listens. */
  async closeAll(tasks: Iterable<Task>): Promise<void> {
    await Promise.allSettled([...this.#flows]);
    for (const stop of this.#healthWatches.values()) stop();
    this.#healthWatches.clear();
    const closing: Promise<number>[] = [];
    for (const task of tasks) {
      for (const container of task.containers) {
        if (container.running) closing.push(container.running.close());
        delete container.running;
      }
    }
    await Promise.allSettled(closing);
  }

  #track(flow: Promise<void>): void {
    const tracked = flow.catch((error: unknown) => {
      if (!(error instanceof WorldStoppedError)) (this.#options.onError ?? console.error)(error);
    });
    this.#flows.add(tracked);
    void tracked.finally(() => this.#flows.delete(tracked));
  }

  async #start(task: Task): Promise<void> {
    const { pacer } = this.#options;
    await pacer.sleep(pacer.pacing.provision);
    if (task.stopping) return this.#stopFlow(task, this.#takePending(task));
    this.#setStatus(task, 'PENDING');
    task.pullStartedAt = new Date();
    const images = task.containers.map((c) => this.#options.resolveImage(c.image));
    await pacer.sleep(pacer.pacing.pull);
    task.pullStoppedAt = new Date();
    if (task.stopping) return this.#stopFlow(task, this.#takePending(task));

    const unpullable = task.containers.findIndex((_, i) => images[i] === undefined);
    const missing = task.containers[unpullable];
    if (missing) {
      missing.reason = `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${missing.image}: not found`;
      return this.#fail(task, 'TaskFailedToStart', missing.reason, 'failed-to-start');
    }
    const secretError = await this.#resolveSecrets(task);
    if (secretError) return this.#fail(task, 'TaskFailedToStart', secretError, 'failed-to-start');

    for (const [i, container] of task.containers.entries()) {
      const image = images[i];
      if (!image) continue;
      container.imageDigest = image.digest;
      const started = await this.#options.runtime.start({
        taskId: task.id,
        containerName: container.name,
        image,
        environment: container.environment,
        host: task.host,
      });
      if (!started.started) {
        container.lastStatus = 'STOPPED';
        container.exitCode = started.exitCode;
        if (container.essential)
          return this.#fail(
            task,
            'EssentialContainerExited',
            'Essential container in task exited',
            'essential-container-exited',
          );
        continue;
      }
      container.running = started.container;
      container.lastStatus = 'RUNNING';
      if (pacer.stopped) return; // closeAll closes what was started
    }

    // Its dates first: the state change tells them.
    task.startedAt = new Date();
    task.connectivityAt = task.startedAt;
    this.#setStatus(task, 'RUNNING');
    this.#healthWatches.set(task, watchContainerHealth(task, pacer));
    if (task.stopping) return this.#stopFlow(task, this.#takePending(task));
  }

  #setStatus(task: Task, status: TaskStatus): void {
    task.setStatus(status);
    this.#changed(task);
  }

  #changed(task: Task): void {
    try {
      this.#options.onChange?.(task);
    } catch (error) {
      (this.#options.onError ?? console.error)(error);
    }
  }

  #takePending(task: Task): StopRequest {
    const request = this.#pendingStops.get(task) ?? {
      reason: task.stoppedReason ?? '',
      stopCode: task.stopCode ?? 'UserInitiated',
    };
    this.#pendingStops.delete(task);
    return request;
  }

  async #resolveSecrets(task: Task): Promise<string | undefined> {
    const resolve = this.#options.resolveSecret;
    if (!resolve) return undefined;
    for (const container of task.containers) {
      for (const secret of container.secrets) {
        const value = await resolve(secret.valueFrom);
        if (value === undefined) {
          return `ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secrets from ssm: invalid parameters: ${secret.valueFrom}`;
        }
        container.environment[secret.name] = value;
      }
    }
    return undefined;
  }

  #fail(task: Task, stopCode: StopCode, reason: string, failure: TaskFailure): Promise<void> {
    this.#pendingStops.delete(task);
    task.desiredStatus = 'STOPPED';
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.stoppingAt = new Date();
    task.failure = failure;
    return this.#stopFlow(task, { reason, stopCode, failure });
  }

  async #stopFlow(task: Task, request: StopRequest): Promise<void> {
    const { pacer } = this.#options;
    this.#healthWatches.get(task)?.();
    this.#healthWatches.delete(task);
    if (task.lastStatus === 'RUNNING') {
      this.#setStatus(task, 'DEACTIVATING');
      await request.drain?.();
    }
    this.#setStatus(task, 'STOPPING');
    for (const container of task.containers) {
      if (container.running) {
        const exitCode = await container.running.close();
        container.exitCode ??= exitCode;
        delete container.running;
      }
      container.lastStatus = 'STOPPED';
    }
    task.executionStoppedAt = new Date();
    this.#setStatus(task, 'DEPROVISIONING');
    await pacer.sleep(pacer.pacing.deprovision);
    task.stoppedAt = new Date();
    this.#setStatus(task, 'STOPPED');
  }
}
