import {
  DescribeServicesCommand,
  type DescribeServicesResponse,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { DeployFailedError } from '../../../src/platform/errors.ts';
import { createEcsAdapter } from '../../../src/release/adapters/ecs.ts';
import { deployRelease } from '../../../src/release/deploy.ts';
import type { ReleaseRequest } from '../../../src/release/release.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import {
  canaryRelease,
  LB_ROLE,
  PROD_RULE,
  TEST_RULE,
  TG_BLUE,
  TG_GREEN,
  WEB_42,
  webRelease,
} from '../../support/ecs-release.ts';

// Deploying with ECS's native strategies: UpdateService carries the strategy,
// its PAUSE hooks and the load balancers; a rolling release sends what it always did.

const ecsMock = mockClient(ECSClient);
const NOW = new Date('2026-11-21T10:15:31.000Z');
const deploy = (request: ReleaseRequest) =>
  deployRelease(request, { ecs: createEcsAdapter(new ECSClient({ region: 'us-east-1' })), now: () => NOW });

const serviceWith = (change: Record<string, unknown>): DescribeServicesResponse => {
  const described = awsFixture<DescribeServicesResponse>('ecs/describe-services.json');
  return { ...described, services: described.services?.map((service) => ({ ...service, ...change })) };
};
const updateInput = () => ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input);

const PAUSE_HOOKS = [
  {
    targetType: 'PAUSE',
    lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
  },
];
const LOAD_BALANCERS = [
  {
    targetGroupArn: TG_BLUE,
    containerName: 'web',
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: TG_GREEN,
      productionListenerRule: PROD_RULE,
      testListenerRule: TEST_RULE,
      roleArn: LB_ROLE,
    },
  },
];

beforeEach(() => {
  ecsMock.on(DescribeServicesCommand).resolves(serviceWith({}));
  ecsMock.on(DescribeTaskDefinitionCommand).resolves(awsFixture('ecs/describe-task-definition.json'));
  ecsMock.on(ListTaskDefinitionsCommand).resolves(awsFixture('ecs/list-task-definitions.json'));
  ecsMock.on(RegisterTaskDefinitionCommand).resolves(awsFixture('ecs/register-task-definition.json'));
  ecsMock.on(UpdateServiceCommand).resolves(awsFixture('ecs/update-service.json'));
  ecsMock.on(ListServiceDeploymentsCommand).resolves(awsFixture('ecs/list-service-deployments.json'));
});

afterEach(() => {
  ecsMock.reset();
});

describe('deployRelease with a native strategy', () => {
  it('judges the new revision (the alternate group) against the one serving production', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(serviceWith({ loadBalancers: LOAD_BALANCERS }));
    const result = await deploy(canaryRelease());
    expect(result).toMatchObject({ targetGroups: { canary: TG_GREEN, baseline: TG_BLUE } });
    expect(updateInput()[0]?.loadBalancers).toEqual(LOAD_BALANCERS);
  });

  it("after a release ECS swapped the pair, the catalog's alternate serves production: the new revision goes to the other", async () => {
    const swapped = [
      {
        ...LOAD_BALANCERS[0],
        targetGroupArn: TG_GREEN,
        advancedConfiguration: { ...LOAD_BALANCERS[0]?.advancedConfiguration, alternateTargetGroupArn: TG_BLUE },
      },
    ];
    ecsMock.on(DescribeServicesCommand).resolves(serviceWith({ loadBalancers: swapped }));
    const result = await deploy(canaryRelease());
    expect(result).toMatchObject({ targetGroups: { canary: TG_BLUE, baseline: TG_GREEN } });
    // The load balancers are restated as ECS has them, not flipped back to the catalog's order.
    expect(updateInput()[0]?.loadBalancers).toEqual(swapped);
  });

  it('moves a rolling service to the canary strategy with PAUSE hooks and both target groups, keeping its circuit breaker', async () => {
    const result = await deploy(canaryRelease());

    expect(result).toMatchObject({ strategy: 'canary', taskDefinitionArn: WEB_42 });
    expect(updateInput()).toEqual([
      {
        cluster: 'sandbox',
        service: 'web',
        taskDefinition: WEB_42,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
          strategy: 'CANARY',
          bakeTimeInMinutes: 10,
          canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 },
          lifecycleHooks: PAUSE_HOOKS,
        },
        loadBalancers: LOAD_BALANCERS,
      },
    ]);
  });

  it('deploys a hotfix with every bake time at 0, its hooks kept, and says so in its result', async () => {
    const canary = canaryRelease();
    const { canary: _shift, ...base } = canary.target;
    const hotfix = await deploy({ ...canary, hotfix: true });
    await deploy({
      ...canary,
      hotfix: true,
      target: { ...base, strategy: 'linear', linear: { stepPercent: 20, stepBakeMinutes: 3 } },
    });

    expect(hotfix).toMatchObject({ strategy: 'canary', hotfix: true });
    const [canaryConfig, linearConfig] = updateInput().map((input) => input.deploymentConfiguration);
    expect(canaryConfig).toMatchObject({
      bakeTimeInMinutes: 0,
      canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 0 },
      lifecycleHooks: PAUSE_HOOKS,
    });
    expect(linearConfig).toMatchObject({
      bakeTimeInMinutes: 0,
      linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 0 },
    });
    expect(await deploy(canaryRelease())).toMatchObject({ hotfix: false });
  });

  it("sets a linear service's steps, and a blue/green one's bake time alone", async () => {
    const canary = canaryRelease();
    const { canary: _shift, ...base } = canary.target;
    await deploy({
      ...canary,
      target: { ...base, strategy: 'linear', linear: { stepPercent: 20, stepBakeMinutes: 3 } },
    });
    await deploy({ ...canary, target: { ...base, strategy: 'blue-green', bakeMinutes: 0 } });

    const [linear, blueGreen] = updateInput().map((input) => input.deploymentConfiguration);
    expect(linear).toMatchObject({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 3 },
    });
    expect(linear).not.toHaveProperty('canaryConfiguration');
    expect(blueGreen).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: PAUSE_HOOKS });
    expect(blueGreen).not.toHaveProperty('canaryConfiguration');
    expect(blueGreen).not.toHaveProperty('linearConfiguration');
  });

  it("drops the previous strategy's settings and rolling-only fields the service had", async () => {
    ecsMock.on(DescribeServicesCommand).resolves(
      serviceWith({
        deploymentConfiguration: {
          strategy: 'LINEAR',
          linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: 6 },
          earlySuccessCriteria: { targetPercent: 50 },
          alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
        },
      }),
    );
    await deploy(canaryRelease());

    expect(updateInput()[0]?.deploymentConfiguration).toEqual({
      alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
      strategy: 'CANARY',
      bakeTimeInMinutes: 10,
      canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 },
      lifecycleHooks: PAUSE_HOOKS,
    });
  });

  it('sends no test listener rule when the catalog names none', async () => {
    const canary = canaryRelease();
    const { loadBalancer } = canary.target;
    if (loadBalancer === undefined) throw new Error('the canary release has a load balancer');
    const { testListenerRuleArn: _rule, ...withoutTestRule } = loadBalancer;
    await deploy({ ...canary, target: { ...canary.target, loadBalancer: withoutTestRule } });

    expect(updateInput()[0]?.loadBalancers?.[0]?.advancedConfiguration).toEqual({
      alternateTargetGroupArn: TG_GREEN,
      productionListenerRule: PROD_RULE,
      roleArn: LB_ROLE,
    });
  });

  it.each(['CODE_DEPLOY', 'EXTERNAL'])(
    'refuses a service on the %s deployment controller before registering anything',
    async (type) => {
      ecsMock.on(DescribeServicesCommand).resolves(serviceWith({ deploymentController: { type } }));

      await expect(deploy(canaryRelease())).rejects.toThrow(DeployFailedError);
      await expect(deploy(canaryRelease())).rejects.toThrow(`uses the ${type} deployment controller`);
      expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
      expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    },
  );

  it('keeps a rolling release to the revision alone, whatever the service has', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(serviceWith({ deploymentController: { type: 'ECS' } }));
    const result = await deploy(webRelease());

    expect(result).toMatchObject({ strategy: 'rolling' });
    expect(updateInput()).toEqual([{ cluster: 'sandbox', service: 'web', taskDefinition: WEB_42 }]);
  });
});
