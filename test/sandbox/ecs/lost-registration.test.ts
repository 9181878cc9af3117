import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ServerException,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { revisionCount } from '../../../scripts/lib/ecs-state.ts';
import { TransientError } from '../../../src/platform/errors.ts';
import { createEcsAdapter } from '../../../src/release/adapters/ecs.ts';
import { deployRelease } from '../../../src/release/deploy.ts';
import { RELEASE_ID_TAG } from '../../../src/release/task-definition.ts';
import { webRelease } from '../../support/ecs-release.ts';
import { sdkConfig } from '../support/clients.ts';
import { testWorld, waitForDeployment } from '../support/ecs-world.ts';

// deploy against the sandbox's ECS through the real SDK client, retries and
// all, when ECS registers the revision but its answer never comes back (a 5xx
// after the fact): the release still adds exactly one revision.

let world: EcsWorld;
let endpoint: AwsEndpoint;

beforeAll(async () => {
  world = testWorld();
  await world.seedDemo({ port: 0 });
  await world.waitForSteadyState('web');
  endpoint = await startAwsEndpoint({ port: 0, emulators: [world.ecs], log: () => undefined });
});

afterAll(async () => {
  await endpoint?.close();
  await world?.stop();
});

/** An ECS client with the SDK's standard retries whose first RegisterTaskDefinition answer is lost. */
function clientLosingFirstRegistration(): ECSClient {
  const client = new ECSClient({ ...sdkConfig(endpoint.url), maxAttempts: 3 });
  let registrations = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const answer = await next(args);
      if (context.commandName === 'RegisterTaskDefinitionCommand' && ++registrations === 1) {
        throw new ServerException({ message: 'Service Unavailable', $metadata: { httpStatusCode: 500 } });
      }
      return answer;
    },
    // Below the retry middleware: each attempt goes to ECS, as a resent request would.
    { step: 'finalizeRequest', priority: 'low', name: 'loseFirstRegistrationAnswer' },
  );
  return client;
}

describe('deploy when the answer to RegisterTaskDefinition is lost', () => {
  it('registers one revision, tagged with the release, and the retried deploy points the service at it', async () => {
    const client = clientLosingFirstRegistration();
    const ecs = createEcsAdapter(client);
    const pushed = await world.ecr.push('demo/web', 'v2');
    const { services } = await client.send(new DescribeServicesCommand({ cluster: 'sandbox', services: ['web'] }));
    const planned = webRelease();
    const request = {
      ...planned,
      image: {
        repository: 'demo/web',
        tag: 'v2',
        digest: pushed.imageDigest,
        uri: pushed.imageUri,
        pushedAt: new Date().toISOString(),
      },
      currentTaskDefinitionArn: services?.[0]?.taskDefinition ?? '',
    };
    const revisionsBefore = await revisionCount(client, 'web');
    const ports = { ecs, now: () => new Date() };

    // The first try fails as the SDK reports it; the state machine's Retry runs deploy again.
    await expect(deployRelease(request, ports)).rejects.toThrow(TransientError);
    const deployed = await deployRelease(request, ports);

    expect((await revisionCount(client, 'web')) - revisionsBefore).toBe(1);
    if ('noop' in deployed) throw new Error(`nothing deployed: ${deployed.noop}`);
    const described = await client.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: deployed.taskDefinitionArn, include: ['TAGS'] }),
    );
    expect(described.taskDefinition?.containerDefinitions?.[0]?.image).toBe(pushed.imageUri);
    expect(described.tags).toContainEqual({ key: RELEASE_ID_TAG, value: planned.releaseId });
    const { deployment } = await waitForDeployment(world, deployed.serviceDeploymentArn);
    expect(deployment.status).toBe('SUCCESSFUL');
    client.destroy();
  });
});
