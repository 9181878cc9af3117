import type { Task } from './task.ts';

// Every task of the world, running or stopped. AWS shows stopped tasks for
// about an hour; the sandbox keeps them an hour too (wall-clock: they are the
// evidence a failed release reports) and at most `maxStoppedPerCluster`.

export class TaskStore {
  readonly #tasks = new Map<string, Task>();
  /** Tasks by `clusterArn|group`, so a service's scheduler does not scan every task of the world. */
  readonly #groups = new Map<string, Set<Task>>();
  readonly #maxStoppedPerCluster: number;
  readonly #retentionMs: number;

  constructor(options: { maxStoppedPerCluster?: number; retentionMs?: number } = {}) {
    this.#maxStoppedPerCluster = options.maxStoppedPerCluster ?? 500;
    this.#retentionMs = options.retentionMs ?? 60 * 60 * 1000;
  }

  add(task: Task): void {
    this.#tasks.set(task.arn, task);
    if (task.group === undefined) return;
    const key = `${task.clusterArn}|${task.group}`;
    const group = this.#groups.get(key) ?? new Set();
    group.add(task);
    this.#groups.set(key, group);
  }

  #delete(task: Task): void {
    this.#tasks.delete(task.arn);
    if (task.group !== undefined) this.#groups.get(`${task.clusterArn}|${task.group}`)?.delete(task);
  }

  /** The tasks of one group (`service:<name>`) in a cluster. */
  inGroup(clusterArn: string, group: string): Task[] {
    return [...(this.#groups.get(`${clusterArn}|${group}`) ?? [])];
  }

  /** A task of the cluster by ARN or by id. */
  find(clusterArn: string, arnOrId: string): Task | undefined {
    const byArn = this.#tasks.get(arnOrId);
    if (byArn) return byArn.clusterArn === clusterArn ? byArn : undefined;
    return this.inCluster(clusterArn).find((task) => task.id === arnOrId);
  }

  inCluster(clusterArn: string): Task[] {
    return [...this.#tasks.values()].filter((task) => task.clusterArn === clusterArn);
  }

  all(): Task[] {
    return [...this.#tasks.values()];
  }

  /** Forgets stopped tasks past retention, oldest first. */
  prune(now = Date.now()): void {
    const stoppedByCluster = new Map<string, Task[]>();
    for (const task of this.#tasks.values()) {
      if (task.lastStatus !== 'STOPPED' || !task.stoppedAt) continue;
      if (now - task.stoppedAt.getTime() > this.#retentionMs) {
        this.#delete(task);
        continue;
      }
      const list = stoppedByCluster.get(task.clusterArn) ?? [];
      list.push(task);
      stoppedByCluster.set(task.clusterArn, list);
    }
    for (const list of stoppedByCluster.values()) {
      const excess = list.length - this.#maxStoppedPerCluster;
      if (excess <= 0) continue;
      list.sort((a, b) => (a.stoppedAt?.getTime() ?? 0) - (b.stoppedAt?.getTime() ?? 0));
      for (const task of list.slice(0, excess)) this.#delete(task);
    }
  }
}
