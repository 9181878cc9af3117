import { Arns } from '../aws/arns.ts';
import { type AwsLocation, defaultLocation } from '../aws/location.ts';
import { CloudWatchEmulator } from '../cloudwatch/emulator.ts';
import { MetricStore } from '../cloudwatch/metric-store.ts';
import { EcrEmulator } from '../ecr/emulator.ts';
import type { EcrImageActionEvent } from '../ecr/push-event.ts';
import { EcrRegistry } from '../ecr/registry.ts';
import type { EcrImageScanEvent } from '../ecr/scan-event.ts';
import { AlbMetrics } from '../lb/alb-metrics.ts';
import { albName, type LoadBalancerInfo, LoadBalancers } from '../lb/registry.ts';
import { TaskRunner } from '../tasks/runner.ts';
import { type ContainerRuntime, demoAppRuntime } from '../tasks/runtime.ts';
import { TaskStore } from '../tasks/store.ts';
import type { Task } from '../tasks/task.ts';
import { type EcsEventListener, taskStateChange } from './bus-events.ts';
import { Clusters } from './clusters.ts';
import { EcsEmulator } from './emulator.ts';
import { defaultTimeFactor, Pacer, type Pacing } from './pacing.ts';
import { ServiceScheduler } from './scheduler.ts';
import {
  canaryDemoSpec,
  type DemoOptions,
  demoServiceSpec,
  ensureService,
  productionDemoSpec,
  type ServiceHandle,
  type ServiceSpec,
} from './seed.ts';
import type { ServiceEventListener } from './service-events.ts';
import { primaryOf, TERMINAL_STATUSES } from './service-model.ts';
import { ServiceRegistry } from './service-registry.ts';
import type { EcsState } from './state.ts';
import { TaskDefinitions } from './task-definitions.ts';

// The sandbox's ECS world: ECS, ECR and CloudWatch emulators that share one
// state, tasks that are real HTTP servers on loopback, and a load balancer
// per service whose traffic becomes the AWS/ApplicationELB metrics.
//
// Wiring (sandbox/index.ts, the endpoint):
//   const world = createEcsWorld({ timeFactor: 0.05, onPush: (event) => bus.put(event) });
//   endpoint.register(world.ecs, world.ecr, world.cloudwatch);   // each an AwsServiceEmulator
//   await world.seedDemo();                                       // service web on 127.0.0.1:8080
//   await world.waitForSteadyState('web');
//   world.ecr.push('demo/web', 'v2');                             // what `release push` does
//   await world.stop();                                           // nothing left listening
//
// Time: every ECS/ELB duration is a nominal AWS-like duration × timeFactor
// (see pacing.ts): a rolling deployment of the demo takes ~40 nominal
// seconds, 2 s at the default 0.05. Timestamps are wall-clock.

export interface EcsWorldOptions {
  /** Account and region of every ARN; default 000000000000, us-east-1. */
  location?: AwsLocation;
  /** Where tasks and load balancers listen; loopback only. Default 127.0.0.1. */
  host?: string;
  /** Multiplies every ECS/ELB duration; default 0.05. */
  timeFactor?: number;
  /** Nominal durations to override (seconds, before the factor). */
  pacing?: Partial<Pacing>;
  /** The registry host in repository URIs; default `<account>.dkr.ecr.<region>.localhost`. */
  registryHost?: string;
  /** Receives the `ECR Image Action` event of every push (PutImage or push()); not awaited. */
  onPush?: (event: EcrImageActionEvent) => void | Promise<void>;
  /** Receives the `ECR Image Scan` event of every scan on push, after its push's; not awaited. */
  onScan?: (event: EcrImageScanEvent) => void | Promise<void>;
  /** Receives every service event as ECS writes it (e.g. to print deployments in the terminal). */
  onServiceEvent?: ServiceEventListener;
  /** Receives every event ECS puts on the event bus (source aws.ecs: deployment and task state changes, service actions); not awaited. */
  onEvent?: EcsEventListener;
  /** Resolves a container secret's `valueFrom` when a task starts (SSM); without it, secrets are skipped. */
  resolveSecret?: (valueFrom: string) => Promise<string | undefined>;
  /** The CloudWatch the load balancers' metrics go to; default: a new one. */
  cloudwatch?: CloudWatchEmulator;
  /** Runs images; default: every image runs the demo app. */
  runtime?: ContainerRuntime;
  onError?: (error: unknown) => void;
}

export interface EcsWorld {
  readonly ecs: EcsEmulator;
  readonly ecr: EcrEmulator;
  readonly cloudwatch: CloudWatchEmulator;
  readonly timeFactor: number;
  /** Creates a service with its repository, image, task definition and load balancer; returns an existing one unchanged. */
  ensureService(spec: ServiceSpec): Promise<ServiceHandle>;
  /** The demo service `web` in cluster `sandbox` running `demo/web:v1`, its load balancer on `port` (default 8080). */
  seedDemo(options?: DemoOptions & { desiredCount?: number }): Promise<ServiceHandle>;
  /** The canary demo: service `shop` running `demo/shop:v1-err0.5-lat20-jit30` (a noisy baseline), released by ECS's CANARY strategy with PAUSE hooks (seed.ts). */
  seedCanaryDemo(options?: DemoOptions & { testPort?: number }): Promise<ServiceHandle>;
  /** The demo's production, `web-production` (released from GitHub releases). */
  seedProductionDemo(options?: { port?: number }): Promise<ServiceHandle>;
  /** A service's load balancer (port, URL, ARNs, CloudWatch dimensions). */
  loadBalancer(service: string, cluster?: string): LoadBalancerInfo | undefined;
  loadBalancerPort(service: string, cluster?: string): number | undefined;
  /** Resolves when the service's current deployment has finished and the service is steady; rejects after `timeoutMs`. */
  waitForSteadyState(service: string, cluster?: string, timeoutMs?: number): Promise<void>;
  /** Stops every task server, load balancer and timer; nothing is left listening. Idempotent. */
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function createEcsWorld(options: EcsWorldOptions = {}): EcsWorld {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the sandbox listens on loopback only, not ${host}`);
  const location = options.location ?? defaultLocation;
  const arns = new Arns(location);
  const pacer = new Pacer(options.timeFactor ?? defaultTimeFactor, options.pacing);
  const onError = options.onError ?? ((error: unknown) => console.error('ecs world:', error));

  const registry = new EcrRegistry(arns, options.registryHost);
  const ecr = new EcrEmulator({
    location,
    registry,
    ...(options.onPush ? { onPush: options.onPush } : {}),
    ...(options.onScan ? { onScan: options.onScan } : {}),
    onError,
  });
  const cloudwatch = options.cloudwatch ?? new CloudWatchEmulator(new MetricStore());
  const metrics = cloudwatch.store;
  const loadBalancers = new LoadBalancers({ arns, pacer, metrics: new AlbMetrics(metrics), host });
  const tasks = new TaskStore();
  const runner = new TaskRunner({
    pacer,
    resolveImage: (reference) => registry.resolve(reference),
    runtime: options.runtime ?? demoAppRuntime,
    ...(options.resolveSecret ? { resolveSecret: options.resolveSecret } : {}),
    ...(options.onEvent ? { onChange: (task: Task) => options.onEvent?.(taskStateChange(location, task)) } : {}),
    onError,
  });
  const state: EcsState = {
    arns,
    host,
    pacer,
    clusters: new Clusters(arns),
    taskDefinitions: new TaskDefinitions(arns),
    services: new ServiceRegistry(),
    tasks,
    runner,
    targetGroup: (arn) => loadBalancers.targetGroup(arn),
    listenerRule: (arn) => loadBalancers.listenerRule(arn),
    ...(options.onServiceEvent ? { onServiceEvent: options.onServiceEvent } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
  const ecs = new EcsEmulator(state);
  const scheduler = new ServiceScheduler(state);
  scheduler.start();

  const seedContext = { arns, ecs, ecr, loadBalancers };
  const loadBalancer = (service: string, cluster = 'sandbox') => loadBalancers.find(albName(`${cluster}-${service}`));
  let stopping: Promise<void> | undefined;

  return {
    ecs,
    ecr,
    cloudwatch,
    timeFactor: pacer.timeFactor,
    ensureService: (spec) => ensureService(seedContext, spec),
    seedDemo: (demo = {}) => ensureService(seedContext, demoServiceSpec(demo)),
    seedCanaryDemo: (demo = {}) => ensureService(seedContext, canaryDemoSpec(demo)),
    seedProductionDemo: (demo = {}) => ensureService(seedContext, productionDemoSpec(demo)),
    loadBalancer,
    loadBalancerPort: (service, cluster) => loadBalancer(service, cluster)?.port,
    async waitForSteadyState(service, cluster = 'sandbox', timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pacer.stopped) {
        const record = state.services.find(state.clusters.require(cluster), service);
        if (!record) throw new Error(`service ${service} does not exist in cluster ${cluster}`);
        if (
          TERMINAL_STATUSES.has(record.current.status) &&
          primaryOf(record).rolloutState !== 'IN_PROGRESS' &&
          record.steady
        ) {
          return;
        }
        if (Date.now() > deadline)
          throw new Error(`service ${service} did not reach a steady state within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the ECS world has stopped');
    },
    stop() {
      stopping ??= (async () => {
        scheduler.stop();
        pacer.stop();
        loadBalancers.closeTargetGroups();
        await runner.closeAll(tasks.all());
        await loadBalancers.close();
        // Closed servers release their handles in the event loop's close phase; let it run.
        await new Promise((resolve) => setTimeout(resolve, 0));
      })();
      return stopping;
    },
  };
}

export type { PushResult } from '../ecr/emulator.ts';
export type { EcrImageActionEvent } from '../ecr/push-event.ts';
export type { LoadBalancerInfo, NativeTrafficInfo } from '../lb/registry.ts';
export type {
  EcsBusEvent,
  EcsDeploymentStateChangeEvent,
  EcsEventListener,
  EcsServiceActionEvent,
  EcsTaskStateChangeEvent,
} from './bus-events.ts';
export type { ServiceHandle, ServiceSpec } from './seed.ts';
