import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { sdkConfig } from './clients.ts';
import { testWorld } from './ecs-world.ts';

// The ECS world behind a real AWS endpoint, reached through the SDK v3 ECS
// client as the functions, scripts and the ECS deploy GitHub Action reach it.

export const ECS_ARN = 'arn:aws:ecs:us-east-1:000000000000';

export interface SdkWorld {
  readonly world: EcsWorld;
  readonly ecs: ECSClient;
  readonly endpointUrl: string;
}

export interface SdkWorldOptions {
  /** Seed the demo service `web` and wait for it to be steady (default true). */
  demo?: boolean;
  /** Serve the world's CloudWatch on the endpoint too (default false). */
  cloudwatch?: boolean;
}

/** Registers hooks that start the world (the demo `web` by default) and its endpoint before the file's tests and stop them after. */
export function useSdkWorld(options: SdkWorldOptions = {}): SdkWorld {
  let world: EcsWorld | undefined;
  let endpoint: AwsEndpoint | undefined;
  let ecs: ECSClient | undefined;
  beforeAll(async () => {
    world = testWorld();
    if (options.demo ?? true) await world.seedDemo({ port: 0 });
    const emulators = options.cloudwatch ? [world.ecs, world.cloudwatch] : [world.ecs];
    endpoint = await startAwsEndpoint({ port: 0, emulators });
    ecs = new ECSClient(sdkConfig(endpoint.url));
    if (options.demo ?? true) await world.waitForSteadyState('web');
  });
  afterAll(async () => {
    ecs?.destroy();
    await endpoint?.close();
    await world?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the SDK world starts in beforeAll');
    return value;
  };
  return {
    get world() {
      return started(world);
    },
    get ecs() {
      return started(ecs);
    },
    get endpointUrl() {
      return started(endpoint).url;
    },
  };
}

/** The AWS error (name and message) an SDK call fails with, or undefined if it succeeds. */
export const awsError = (promise: Promise<unknown>): Promise<{ name: string; message: string } | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => ({ name: (error as Error).name, message: (error as Error).message }),
  );

/** ARNs of the cluster's RUNNING (desired) tasks. */
export async function runningTaskArns(
  ecs: ECSClient,
  filter: { cluster?: string; startedBy?: string; serviceName?: string } = {},
): Promise<string[]> {
  return (await ecs.send(new ListTasksCommand({ cluster: 'sandbox', ...filter }))).taskArns ?? [];
}
