import {
  type DeploymentConfiguration,
  DescribeServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { EcsWorld, ServiceHandle } from '../../../sandbox/ecs/index.ts';
import { useSdkWorld } from './ecs-sdk.ts';
import { release } from './ecs-world.ts';

// A world for ECS's native (BLUE_GREEN, CANARY, LINEAR) deployments, reached
// through the SDK v3 ECS client: services with two target groups and listener
// rules, created by ensureService, and helpers to watch a deployment's stages.

export interface NativeWorld {
  readonly world: EcsWorld;
  readonly ecs: ECSClient;
  readonly endpointUrl: string;
  /** A service `name` (repository demo/<name>, v1) with the native settings, steady. */
  service(name: string, native: NativeSettings): Promise<ServiceHandle>;
  /** Pushes demo/<name>:`tag` and deploys it to service `name` (a new task definition revision, UpdateService). */
  release(name: string, tag: string): ReturnType<typeof release>;
}

export type NativeSettings = Pick<
  DeploymentConfiguration,
  'strategy' | 'canaryConfiguration' | 'linearConfiguration' | 'bakeTimeInMinutes' | 'lifecycleHooks'
>;

/** PAUSE hooks where the release pipeline stops: after test traffic, before each production step, after the last. */
export const PIPELINE_HOOKS: NativeSettings['lifecycleHooks'] = [
  {
    targetType: 'PAUSE',
    lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
  },
];

/** Registers hooks that start an empty world behind an endpoint (ECS and CloudWatch); services come from `service()`. */
export function useNativeWorld(): NativeWorld {
  const sdk = useSdkWorld({ demo: false, cloudwatch: true });
  return {
    get world() {
      return sdk.world;
    },
    get ecs() {
      return sdk.ecs;
    },
    get endpointUrl() {
      return sdk.endpointUrl;
    },
    async service(name, native) {
      const handle = await sdk.world.ensureService({ service: name, repository: `demo/${name}`, tag: 'v1', native });
      await sdk.world.waitForSteadyState(name);
      return handle;
    },
    release: (name, tag) =>
      release(sdk.world, tag, { cluster: 'sandbox', service: name, family: name, repository: `demo/${name}` }),
  };
}

export async function describeNative(ecs: ECSClient, arn: string): Promise<ServiceDeployment> {
  const { serviceDeployments } = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
  );
  const found = serviceDeployments?.[0];
  if (!found) throw new Error(`no service deployment ${arn}`);
  return found;
}

/** Polls until `until` holds; returns the deployment and every lifecycle stage seen, in order. */
export async function waitForNative(
  ecs: ECSClient,
  arn: string,
  until: (d: ServiceDeployment) => boolean,
  timeoutMs = 20_000,
): Promise<{ deployment: ServiceDeployment; stages: string[] }> {
  const stages: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deployment = await describeNative(ecs, arn);
    const stage = deployment.lifecycleStage ?? '';
    if (stages.at(-1) !== stage) stages.push(stage);
    if (until(deployment)) return { deployment, stages };
    if (Date.now() > deadline) {
      throw new Error(`deployment ${deployment.status} at ${stages.join(' → ')} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether the deployment is paused at `stage` (a hook AWAITING_ACTION). */
export const pausedAt =
  (stage: string) =>
  (d: ServiceDeployment): boolean =>
    d.lifecycleStage === stage && (d.lifecycleHookDetails ?? []).some((h) => h.status === 'AWAITING_ACTION');

/** The paused hook's id. */
export function awaitingHook(deployment: ServiceDeployment): string {
  const hook = deployment.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION');
  if (!hook?.hookId) throw new Error(`no hook awaiting action at ${deployment.lifecycleStage}`);
  return hook.hookId;
}

/** Sends `count` requests (`concurrency` at a time) and counts answers by the `x-demo-image` tag (5xx ones also in `answered`). */
export async function sample(
  url: string,
  count: number,
  concurrency = 20,
  answered: { errors: number } = { errors: 0 },
): Promise<Record<string, number>> {
  const byImage: Record<string, number> = {};
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const response = await fetch(url);
      await response.text();
      if (response.status >= 500) answered.errors++;
      const image = response.headers.get('x-demo-image')?.split(':').at(-1) ?? `status ${response.status}`;
      byImage[image] = (byImage[image] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return byImage;
}
