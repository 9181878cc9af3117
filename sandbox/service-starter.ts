// The contract between the sandbox's core (the endpoint, SSM, Step Functions,
// EventBridge, DynamoDB, Slack) and the services it starts (the ECS world):
// each starter gets what the core offers and gives back its emulators and how
// to stop it. Its own file, so that the starters and the list of them
// (services.ts) both import it without importing each other.

import type { AwsServiceEmulator } from './aws/service.ts';
import type { ServicePlacement } from './catalog-accounts.ts';
import type { CloudWatchEmulator } from './cloudwatch/emulator.ts';
import type { EventBridgeEvent } from './eventbus/bus.ts';
import type { SandboxLocation } from './lambda/functions.ts';
import type { ServiceLoadBalancer } from './lambda/smoke-urls.ts';
import type { ServiceDatabase } from './postgres/databases.ts';

/** What the core offers the emulated services. */
export interface ServiceContext {
  location: SandboxLocation;
  /** The one time factor of the sandbox (see sandbox/README.md). */
  timeFactor: number;
  /** Puts an event on the default bus (ECR's push events, ECS's state changes). */
  publishEvent(event: EventBridgeEvent): void;
  /** Public loopback ports of the load balancers, by ECS service name (the demo's `web`: 8080). */
  lbPorts: Readonly<Record<string, number>>;
  /** Requests per second of the canary demo's own traffic generator, when it runs (0: none). */
  demoTrafficPerSecond: number;
  /** The sandbox's terminal (a no-op when quiet). */
  print(line: string): void;
  /**
   * A container secret's value as ECS would inject it at task start: the
   * latest version of the SSM parameter `valueFrom` names (ARN or name),
   * decrypted; undefined when there is none.
   */
  resolveSecret?(valueFrom: string): Promise<string | undefined>;
  /** The sandbox's CloudWatch (metrics and alarms), which the load balancers' metrics go to. */
  cloudwatch?: CloudWatchEmulator;
  /** The database each ECS service's tasks use (credential secret and address), by service name. */
  databases?: Readonly<Record<string, ServiceDatabase>>;
  /** Where the catalog puts an ECS service and its images (sandbox/catalog-accounts.ts); home where it says nothing. */
  placementOf?(service: string): ServicePlacement | undefined;
}

/** What a started service gives back. */
export interface StartedService {
  emulators: AwsServiceEmulator[];
  /** Lines for the start-up banner, e.g. where a load balancer listens. */
  notes?: string[];
  /** The load balancers it runs, where the catalog's smoke checks of those services must go. */
  loadBalancers?: ServiceLoadBalancer[];
  /** Anything the service exposes to tests and the CLI (registries, stores, load balancers). */
  handle?: unknown;
  close(): Promise<void>;
}

export type ServiceStarter = (context: ServiceContext) => Promise<StartedService>;
