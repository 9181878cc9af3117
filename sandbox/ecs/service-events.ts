import { randomUUID } from 'node:crypto';
import type { ServiceEvent } from '@aws-sdk/client-ecs';

// A service's event log, as DescribeServices shows it: "(service web) has
// started 2 tasks: (task …) (task …).", newest first, the last 100 kept.

const MAX_EVENTS = 100;

export type ServiceEventListener = (service: { cluster: string; service: string }, event: ServiceEvent) => void;

export class ServiceEventLog {
  readonly #events: ServiceEvent[] = [];
  readonly #cluster: string;
  readonly #service: string;
  readonly #listener: ServiceEventListener | undefined;

  constructor(cluster: string, service: string, listener?: ServiceEventListener) {
    this.#cluster = cluster;
    this.#service = service;
    this.#listener = listener;
  }

  /** Adds `(service <name>) <text>`. */
  add(text: string): void {
    const event: ServiceEvent = {
      id: randomUUID(),
      createdAt: new Date(),
      message: `(service ${this.#service}) ${text}`,
    };
    this.#events.unshift(event);
    this.#events.length = Math.min(this.#events.length, MAX_EVENTS);
    this.#listener?.({ cluster: this.#cluster, service: this.#service }, { ...event });
  }

  list(): ServiceEvent[] {
    return this.#events.map((event) => ({ ...event }));
  }
}

/** `(task a) (task b)`: how ECS lists task ids in an event. */
export const taskList = (ids: readonly string[]): string => ids.map((id) => `(task ${id})`).join(' ');
