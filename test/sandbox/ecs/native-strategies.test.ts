import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  ContinueServiceDeploymentCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { sdkConfig } from '../support/clients.ts';
import { awsError } from '../support/ecs-sdk.ts';
import {
  awaitingHook,
  describeNative,
  pausedAt,
  sample,
  useNativeWorld,
  waitForNative,
} from '../support/native-world.ts';

// LINEAR and BLUE_GREEN deployments, the per-target-group ALB metrics a
// canary analysis compares, and the errors ECS gives for bad input.

const native = useNativeWorld();

describe('native strategies', () => {
  it('LINEAR moves production traffic by stepPercent, one step per PRE_PRODUCTION_TRAFFIC_SHIFT', async () => {
    const { ecs } = native;
    await native.service('linear1', {
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    const { serviceDeploymentArn: arn } = await native.release('linear1', 'v2');
    const seen: number[] = [];
    for (let step = 0; step < 4; step++) {
      const { deployment } = await waitForNative(
        ecs,
        arn,
        (d) =>
          pausedAt('PRE_PRODUCTION_TRAFFIC_SHIFT')(d) &&
          !seen.includes(d.targetServiceRevision?.requestedProductionTrafficWeight ?? -1),
      );
      seen.push(deployment.targetServiceRevision?.requestedProductionTrafficWeight ?? -1);
      await ecs.send(
        new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: awaitingHook(deployment) }),
      );
    }
    expect(seen).toEqual([0, 25, 50, 75]);
    expect(
      (await waitForNative(ecs, arn, (d) => d.status === 'SUCCESSFUL')).deployment.targetServiceRevision,
    ).toMatchObject({
      requestedProductionTrafficWeight: 100,
    });
  });

  it('BLUE_GREEN: the test listener serves green while production stays blue, then all at once; the next release uses the other target group', async () => {
    const { ecs } = native;
    const bg = await native.service('bg1', {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      lifecycleHooks: [
        { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] },
      ],
    });
    const lb = bg.loadBalancer;
    const testUrl = lb.native?.testUrl ?? '';
    const { serviceDeploymentArn: arn } = await native.release('bg1', 'v2');
    const tested = await waitForNative(ecs, arn, pausedAt('POST_TEST_TRAFFIC_SHIFT'));
    expect(await sample(testUrl, 30)).toEqual({ v2: 30 });
    expect(await sample(lb.url, 30)).toEqual({ v1: 30 });
    await ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: awaitingHook(tested.deployment) }),
    );
    const shifted = await waitForNative(ecs, arn, pausedAt('POST_PRODUCTION_TRAFFIC_SHIFT'));
    expect(await sample(lb.url, 30)).toEqual({ v2: 30 });
    await ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: awaitingHook(shifted.deployment) }),
    );
    // During the bake both revisions run; blue is scaled down only afterwards.
    const baking = await waitForNative(ecs, arn, (d) => d.lifecycleStage === 'BAKE_TIME');
    expect(baking.deployment.sourceServiceRevisions?.[0]?.runningTaskCount).toBe(2);
    await waitForNative(ecs, arn, (d) => d.status === 'SUCCESSFUL');

    const next = await native.release('bg1', 'v3');
    await waitForNative(ecs, next.serviceDeploymentArn, pausedAt('POST_TEST_TRAFFIC_SHIFT'));
    expect(await sample(testUrl, 20)).toEqual({ v3: 20 });
    expect(await sample(lb.url, 20)).toEqual({ v2: 20 });
    const groups = native.world.loadBalancer('bg1');
    const metrics = await targetGroupRequests(groups?.dimensions.LoadBalancer ?? '', [
      groups?.dimensions.TargetGroup ?? '',
      groups?.native?.alternateDimensions.TargetGroup ?? '',
    ]);
    // v3 is served from the primary target group again (v2 went to the alternate one).
    expect(metrics[0]).toBeGreaterThanOrEqual(30 + 20);
    expect(metrics[1]).toBeGreaterThanOrEqual(30 + 20);
  });

  it('writes ALB metrics per target group, so canary and baseline compare with GetMetricData', async () => {
    const { ecs } = native;
    const shop = await native.service('metrics1', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 50, canaryBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    const { serviceDeploymentArn: arn } = await native.release('metrics1', 'v2-err30-lat200');
    await waitForNative(ecs, arn, pausedAt('POST_PRODUCTION_TRAFFIC_SHIFT'));
    // The demo app fails each request at random with the tag's chance (seeded per task): the
    // metric must count exactly the 5xx answers the load balancer gave.
    const answered = { errors: 0 };
    expect(await sample(shop.loadBalancer.url, 100, 20, answered)).toEqual({ 'v2-err30-lat200': 100 });
    expect(answered.errors).toBeGreaterThan(10);
    const lb = shop.loadBalancer;
    expect(lb.native?.alternateDimensions.TargetGroup).toMatch(/^targetgroup\/sandbox-metrics1-alt\/[0-9a-f]{16}$/);
    const [requests, errors, latency] = await Promise.all(
      ['RequestCount', 'HTTPCode_Target_5XX_Count', 'TargetResponseTime'].map((metric) =>
        targetGroupRequests(lb.dimensions.LoadBalancer, [lb.native?.alternateDimensions.TargetGroup ?? ''], metric),
      ),
    );
    expect(requests).toEqual([100]);
    expect(errors).toEqual([answered.errors]);
    expect((latency?.[0] ?? 0) / 100).toBeGreaterThanOrEqual(0.2);
  });

  it.each([
    [
      'PAUSE at TEST_TRAFFIC_SHIFT',
      { lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }] },
      'InvalidParameterException',
      /PAUSE hooks cannot be configured at the TEST_TRAFFIC_SHIFT/,
    ],
    [
      'PAUSE at PRODUCTION_TRAFFIC_SHIFT',
      { lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }] },
      'InvalidParameterException',
      /PRODUCTION_TRAFFIC_SHIFT/,
    ],
    [
      'linearConfiguration with CANARY',
      { linearConfiguration: { stepPercent: 10 } },
      'InvalidParameterException',
      /only valid when the strategy is LINEAR/,
    ],
    [
      'a canaryPercent of 0',
      { canaryConfiguration: { canaryPercent: 0 } },
      'InvalidParameterException',
      /multiple of 0.1/,
    ],
    [
      'a bake of 1441 minutes',
      { canaryConfiguration: { canaryBakeTimeInMinutes: 1441 } },
      'InvalidParameterException',
      /canaryBakeTimeInMinutes/,
    ],
    ['an unknown strategy', { strategy: 'RED_BLACK' }, 'InvalidParameterException', /Invalid deployment strategy/],
  ])('refuses %s', async (_case, settings, name, message) => {
    const shop = await native.service('input1', { strategy: 'CANARY' });
    const input = {
      cluster: 'sandbox',
      serviceName: `bad-${Math.random().toString(36).slice(2, 8)}`,
      taskDefinition: 'input1',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      deploymentConfiguration: { strategy: 'CANARY', ...settings },
      loadBalancers: [
        {
          targetGroupArn: shop.loadBalancer.targetGroupArn,
          containerName: 'input1',
          containerPort: 8080,
          advancedConfiguration: {
            alternateTargetGroupArn: shop.loadBalancer.native?.alternateTargetGroupArn,
            productionListenerRule: shop.loadBalancer.native?.productionListenerRuleArn,
            roleArn: 'arn:aws:iam::000000000000:role/ecs',
          },
        },
      ],
    } as CreateServiceCommandInput;
    expect(await awsError(native.ecs.send(new CreateServiceCommand(input)))).toEqual({
      name,
      message: expect.stringMatching(message),
    });
  });

  it('answers ContinueServiceDeployment for an unknown hook, a hook already acted on and an unknown deployment', async () => {
    const { ecs } = native;
    await native.service('hooks1', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'] }],
    });
    const { serviceDeploymentArn: arn } = await native.release('hooks1', 'v2');
    const { deployment } = await waitForNative(ecs, arn, pausedAt('POST_SCALE_UP'));
    const hookId = awaitingHook(deployment);
    const cont = (input: { serviceDeploymentArn: string; hookId: string }) =>
      awsError(ecs.send(new ContinueServiceDeploymentCommand(input)));
    expect(await cont({ serviceDeploymentArn: arn, hookId: 'ecs-pause-nope' })).toEqual({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/was not found/),
    });
    expect(await cont({ serviceDeploymentArn: `${arn}x`, hookId })).toMatchObject({
      name: 'ServiceDeploymentNotFoundException',
    });
    expect(await cont({ serviceDeploymentArn: arn, hookId })).toBeUndefined();
    expect(await cont({ serviceDeploymentArn: arn, hookId })).toEqual({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/not paused/),
    });
    expect((await describeNative(ecs, arn)).status).toBe('IN_PROGRESS');
  });
});

/** Sum of a metric (default RequestCount) per target group over the last 10 minutes, through GetMetricData. */
async function targetGroupRequests(
  loadBalancer: string,
  targetGroups: string[],
  metric = 'RequestCount',
): Promise<number[]> {
  const client = new CloudWatchClient(sdkConfig(native.endpointUrl));
  try {
    const now = Date.now();
    const { MetricDataResults } = await client.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 600_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: targetGroups.map((group, i) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ApplicationELB',
              MetricName: metric,
              Dimensions: [
                { Name: 'LoadBalancer', Value: loadBalancer },
                { Name: 'TargetGroup', Value: group },
              ],
            },
            Period: 3600,
            Stat: 'Sum',
          },
        })),
      }),
    );
    return targetGroups.map((_g, i) =>
      (MetricDataResults?.find((r) => r.Id === `m${i}`)?.Values ?? []).reduce((a, b) => a + b, 0),
    );
  } finally {
    client.destroy();
  }
}
