import type { Service } from '@aws-sdk/client-ecs';
import { defaultLocation } from '../../sandbox/aws/location.ts';
import { type AwsEndpoint, startAwsEndpoint } from '../../sandbox/aws/server.ts';
import type { AwsServiceEmulator } from '../../sandbox/aws/service.ts';
import type { PushResult } from '../../sandbox/ecr/emulator.ts';
import type { EcsWorld, ServiceSpec } from '../../sandbox/ecs/index.ts';
import { FaultInjector } from '../../sandbox/faults/injector.ts';
import { TEST_TIME_FACTOR, testWorld } from '../sandbox/support/ecs-world.ts';
import { PIPELINE_HOOKS } from '../sandbox/support/native-world.ts';
import { type MachineWorld, startMachineWorld } from './harness.ts';

// The release machine against the sandbox's own ECS and ECR, in-process and at
// test speed: deployments move as ECS moves them (the demo app's tag words,
// the circuit breaker), AWS's errors come from the sandbox's fault rules. The
// rest of the world (DynamoDB, Slack, SSM, SFN) is the machine world's.

export interface SandboxHarness extends MachineWorld {
  world: EcsWorld;
  /** The fault rules ECS and ECR answer by (`error` with `times` for a named AWS error, first N calls). */
  faults: FaultInjector;
  /** Pushes `repository:tag` to the sandbox's ECR, as `docker push` would. */
  push(repository: string, tag: string): Promise<PushResult>;
  /** The input of every call of an ECS or ECR operation the functions made, in order. */
  requests(operation: string): Record<string, unknown>[];
  /** The service as DescribeServices shows it. */
  service(name: string): Promise<Service | undefined>;
  /** The ARNs of the service's service deployments (ListServiceDeployments), newest first. */
  deployments(service: string): Promise<string[]>;
  /** The image a service's tasks run (its current task definition's first container). */
  liveImage(service: string): Promise<string | undefined>;
}

/**
 * A service of the test catalog (test/fixtures/catalog/state-machine.yml) the sandbox runs. One with a
 * native strategy gets the load balancer it needs; the catalog finds it by `<SERVICE>_*` variables.
 */
export type CatalogService = Pick<ServiceSpec, 'service' | 'repository' | 'circuitBreaker' | 'native'>;

/** A canary service of the test catalog (`shop`, `tardy`: 10%, baking a minute) as ECS runs it, with the pipeline's hooks. */
export const canaryService = (service: string): CatalogService => ({
  service,
  repository: `demo/${service}`,
  native: {
    strategy: 'CANARY',
    canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
    lifecycleHooks: PIPELINE_HOOKS,
  },
});

/** The variables that point a catalog entry at the load balancer its native service was created with. */
async function loadBalancerVariables(world: EcsWorld, service: string): Promise<Record<string, string>> {
  const { services: [found] = [] } = (await world.ecs.handle('DescribeServices', {
    cluster: 'sandbox',
    services: [service],
  })) as { services?: Pick<Service, 'loadBalancers'>[] };
  const [{ targetGroupArn, advancedConfiguration: advanced } = {}] = found?.loadBalancers ?? [];
  if (advanced === undefined) return {};
  const prefix = service.toUpperCase().replaceAll('-', '_');
  const variables = {
    TARGET_GROUP_ARN: targetGroupArn,
    ALTERNATE_TARGET_GROUP_ARN: advanced.alternateTargetGroupArn,
    PRODUCTION_RULE_ARN: advanced.productionListenerRule,
    TEST_RULE_ARN: advanced.testListenerRule,
    LB_ROLE_ARN: advanced.roleArn,
  };
  return Object.fromEntries(
    Object.entries(variables).flatMap(([name, value]) => (value === undefined ? [] : [[`${prefix}_${name}`, value]])),
  );
}

/** Starts the sandbox's ECS world with `services` (steady on `v1`), and the release machine over it. */
export async function startSandboxHarness(
  environment: Record<string, string>,
  services: readonly CatalogService[],
): Promise<SandboxHarness> {
  const world = testWorld();
  const faults = new FaultInjector();
  const requests: { operation: string; input: Record<string, unknown> }[] = [];
  const recorded = (emulator: AwsServiceEmulator): AwsServiceEmulator => ({
    ...emulator,
    handle: (operation, input) => {
      requests.push({ operation, input: structuredClone(input) });
      return emulator.handle(operation, input);
    },
  });
  const service = async (name: string): Promise<Service | undefined> => {
    const { services: [found] = [] } = (await world.ecs.handle('DescribeServices', {
      cluster: 'sandbox',
      services: [name],
    })) as { services?: Service[] };
    return found;
  };
  let endpoint: AwsEndpoint | undefined;
  try {
    for (const spec of services) {
      await world.ensureService({ ...spec, container: 'web', tag: 'v1', desiredCount: 1 });
    }
    await Promise.all(services.map(({ service }) => world.waitForSteadyState(service)));
    const started = await startAwsEndpoint({
      port: 0,
      emulators: [world.ecs, world.ecr].map((emulator) => recorded(faults.wrap(emulator))),
    });
    endpoint = started;
    const variables = Object.assign(
      {},
      ...(await Promise.all(services.map(({ service }) => loadBalancerVariables(world, service)))),
    );
    const machine = await startMachineWorld(
      // The world's ECS and ECR answer in their own account and region (its pushes' events say so): the automation's.
      {
        ...variables,
        AUTOMATION_ACCOUNT: defaultLocation.accountId,
        AWS_REGION: defaultLocation.region,
        ...environment,
      },
      {
        endpoints: { AWS_ENDPOINT_URL_ECS: started.url, AWS_ENDPOINT_URL_ECR: started.url },
        // The machine's 15 s polls at the world's pace; reconcileWaits (what answers its waits on
        // ECS while this world emits no ECS events) as often.
        waitMs: 15_000 * TEST_TIME_FACTOR,
        reconcileMs: 15_000 * TEST_TIME_FACTOR,
      },
    );
    return {
      ...machine,
      world,
      faults,
      push: (repository, tag) => world.ecr.push(repository, tag),
      requests: (operation) => requests.filter((call) => call.operation === operation).map((call) => call.input),
      service,
      deployments: async (name) => {
        const { serviceDeployments = [] } = (await world.ecs.handle('ListServiceDeployments', {
          cluster: 'sandbox',
          service: name,
        })) as { serviceDeployments?: { serviceDeploymentArn: string }[] };
        return serviceDeployments.map((deployment) => deployment.serviceDeploymentArn);
      },
      liveImage: async (name) => {
        const { taskDefinition } = (await world.ecs.handle('DescribeTaskDefinition', {
          taskDefinition: (await service(name))?.taskDefinition,
        })) as { taskDefinition: { containerDefinitions?: { image?: string }[] } };
        return taskDefinition.containerDefinitions?.[0]?.image;
      },
      reset: () => {
        machine.reset();
        faults.clear();
      },
      stop: async () => {
        await machine.stop();
        await started.close();
        await world.stop();
      },
    };
  } catch (error) {
    await endpoint?.close();
    await world.stop();
    throw error;
  }
}
