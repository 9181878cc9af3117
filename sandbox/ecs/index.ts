import { Arns } from '../aws/arns.ts';
import { type AwsLocation, defaultLocation } from '../aws/location.ts';
import { Partitions } from '../aws/partitions.ts';
import { rootContext } from '../aws/request-context.ts';
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
  type SeedContext,
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
// per service whose traffic becomes the AWS/ApplicationELB metrics. Its
// resources live per account and region (sandbox/aws/partitions.ts): the
// home location's from the start, another's once a request or a seed names it.
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
  /** The home account and region (the seeds' and the sandbox's own calls'); default 000000000000, us-east-1. */
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
  seedProductionDemo(options?: {
    port?: number;
    location?: AwsLocation;
    imageLocation?: AwsLocation;
  }): Promise<ServiceHandle>;
  /** A service's load balancer (port, URL, ARNs, CloudWatch dimensions); `location`: of another account and region than home. */
  loadBalancer(service: string, cluster?: string, location?: AwsLocation): LoadBalancerInfo | undefined;
  loadBalancerPort(service: string, cluster?: string, location?: AwsLocation): number | undefined;
  /** Resolves when the service's current deployment has finished and the service is steady; rejects after `timeoutMs`. */
  waitForSteadyState(service: string, cluster?: string, timeoutMs?: number, location?: AwsLocation): Promise<void>;
  /** Stops every task server, load balancer and timer; nothing is left listening. Idempotent. */
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The ECS world of one account and region: its ECS state, load balancers and scheduler. */
interface WorldPartition {
  state: EcsState;
  loadBalancers: LoadBalancers;
  scheduler: ServiceScheduler;
  seedContext: SeedContext;
}

export function createEcsWorld(options: EcsWorldOptions = {}): EcsWorld {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the sandbox listens on loopback only, not ${host}`);
  const location = options.location ?? defaultLocation;
  const pacer = new Pacer(options.timeFactor ?? defaultTimeFactor, options.pacing);
  const onError = options.onError ?? ((error: unknown) => console.error('ecs world:', error));

  const registry = new EcrRegistry(new Arns(location), options.registryHost);
  const ecr = new EcrEmulator({
    location,
    registry,
    ...(options.onPush ? { onPush: options.onPush } : {}),
    ...(options.onScan ? { onScan: options.onScan } : {}),
    onError,
  });
  const cloudwatch = options.cloudwatch ?? new CloudWatchEmulator(new MetricStore(), { location });
  const runner = new TaskRunner({
    pacer,
    // An image from any account's registry: a service may run a tools account's images.
    resolveImage: (reference) => ecr.resolve(reference),
    runtime: options.runtime ?? demoAppRuntime,
    ...(options.resolveSecret ? { resolveSecret: options.resolveSecret } : {}),
    ...(options.onEvent
      ? { onChange: (task: Task) => options.onEvent?.(taskStateChange(locationOfArn(task.arn, location), task)) }
      : {}),
    onError,
  });

  // Each account and region has its own clusters, services, task definitions,
  // tasks and load balancers (whose metrics go to that account and region's
  // CloudWatch), ticked by its own scheduler; the task runner is shared (a
  // task's ARN names its account and region).
  const parts = new Map<EcsState, WorldPartition>();
  let stopped = false;
  const partitionOf = (where: AwsLocation): EcsState => {
    const arns = new Arns(where);
    const isHome = where.accountId === location.accountId && where.region === location.region;
    const metrics = isHome ? cloudwatch.store : cloudwatch.at(where).metrics;
    const loadBalancers = new LoadBalancers({ arns, pacer, metrics: new AlbMetrics(metrics), host });
    const state: EcsState = {
      arns,
      host,
      pacer,
      clusters: new Clusters(arns),
      taskDefinitions: new TaskDefinitions(arns),
      services: new ServiceRegistry(),
      tasks: new TaskStore(),
      runner,
      targetGroup: (arn) => loadBalancers.targetGroup(arn),
      listenerRule: (arn) => loadBalancers.listenerRule(arn),
      ...(options.onServiceEvent ? { onServiceEvent: options.onServiceEvent } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    };
    const scheduler = new ServiceScheduler(state);
    if (!stopped) scheduler.start();
    parts.set(state, {
      state,
      loadBalancers,
      scheduler,
      seedContext: { arns, request: rootContext(where), ecs, ecr, loadBalancers },
    });
    return state;
  };
  const partitions = new Partitions<EcsState>(location, partitionOf);
  const ecs = new EcsEmulator(partitions);
  const part = (where?: AwsLocation): WorldPartition => {
    const state = partitions.at(where);
    const found = parts.get(state);
    if (!found) throw new Error(`no ECS world partition for ${state.arns.accountId}/${state.arns.region}`);
    return found;
  };
  // The home partition exists from the start, as the sandbox's own calls act there.
  part();

  const ensure = (spec: ServiceSpec) => ensureService(part(spec.location).seedContext, spec);
  const loadBalancer = (service: string, cluster = 'sandbox', where?: AwsLocation) =>
    part(where).loadBalancers.find(albName(`${cluster}-${service}`));
  let stopping: Promise<void> | undefined;

  return {
    ecs,
    ecr,
    cloudwatch,
    timeFactor: pacer.timeFactor,
    ensureService: ensure,
    seedDemo: (demo = {}) => ensure(demoServiceSpec(demo)),
    seedCanaryDemo: (demo = {}) => ensure(canaryDemoSpec(demo)),
    seedProductionDemo: (demo = {}) => ensure(productionDemoSpec(demo)),
    loadBalancer,
    loadBalancerPort: (service, cluster, where) => loadBalancer(service, cluster, where)?.port,
    async waitForSteadyState(service, cluster = 'sandbox', timeoutMs = 30_000, where) {
      const { state } = part(where);
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
        stopped = true;
        const all = [...parts.values()];
        for (const { scheduler } of all) scheduler.stop();
        pacer.stop();
        for (const { loadBalancers } of all) loadBalancers.closeTargetGroups();
        await runner.closeAll(all.flatMap(({ state }) => state.tasks.all()));
        await Promise.all(all.map(({ loadBalancers }) => loadBalancers.close()));
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

/** The account and region in an ARN (`arn:aws:ecs:<region>:<account>:…`), else `fallback`. */
function locationOfArn(arn: string, fallback: AwsLocation): AwsLocation {
  const [, , , region, accountId] = arn.split(':');
  return region && accountId ? { accountId, region } : fallback;
}
