import type { GetMetricDataOutput } from '@aws-sdk/client-cloudwatch';
import type { EcsWorld, LoadBalancerInfo } from '../../../sandbox/ecs/index.ts';
import { call, get, release, testWorld, waitForDeployment } from '../support/ecs-world.ts';

// The load balancer in front of a service: how it spreads traffic, and the
// AWS/ApplicationELB metrics its traffic becomes.

let world: EcsWorld;
let lb: LoadBalancerInfo;

beforeEach(async () => {
  world = testWorld();
  lb = (await world.seedDemo({ port: 0 })).loadBalancer;
  await world.waitForSteadyState('web');
});

afterEach(() => world.stop());

async function metric(
  metricName: string,
  stat: string,
  dimensions: { Name: string; Value: string }[],
): Promise<number[]> {
  const { MetricDataResults } = await call<GetMetricDataOutput>(world.cloudwatch, 'GetMetricData', {
    StartTime: new Date(Date.now() - 10 * 60_000),
    EndTime: new Date(Date.now() + 60_000),
    MetricDataQueries: [
      {
        Id: 'q',
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: dimensions },
          Period: 60,
          Stat: stat,
        },
      },
    ],
  });
  return MetricDataResults?.[0]?.Values ?? [];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('the load balancer', () => {
  it('has AWS-shaped names and CloudWatch dimensions, stable across starts', () => {
    expect(lb).toMatchObject({
      name: 'sandbox-web',
      url: `http://127.0.0.1:${lb.port}`,
      loadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/${lb.dimensions.LoadBalancer}`,
      targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:${lb.dimensions.TargetGroup}`,
      dimensions: {
        LoadBalancer: 'app/sandbox-web/d030b185593ee029',
        TargetGroup: 'targetgroup/sandbox-web/3dc010fd7aa8ceda',
      },
    });
    expect(world.loadBalancerPort('web')).toBe(lb.port);
  });

  it('spreads requests round-robin over the healthy tasks', async () => {
    const bodies = await Promise.all(Array.from({ length: 6 }, () => get(lb.url)));
    const tasks = new Set(bodies.map((b) => /\(task ([0-9a-f]{32})\)/.exec(b.body)?.[1]));
    expect(tasks.size).toBe(2);
    expect(bodies.every((b) => b.status === 200)).toBe(true);
  });

  it('answers 503 with no healthy task, and counts it as an ELB 5XX', async () => {
    await call(world.ecs, 'UpdateService', { cluster: 'sandbox', service: 'web', desiredCount: 0 });
    await world.waitForSteadyState('web');
    const answer = await get(lb.url);
    expect(answer.status).toBe(503);
    expect(
      sum(await metric('HTTPCode_ELB_5XX_Count', 'Sum', [{ Name: 'LoadBalancer', Value: lb.dimensions.LoadBalancer }])),
    ).toBe(1);
  });

  it('feeds request counts, target 5XX and latencies into CloudWatch per target group', async () => {
    const both = [
      { Name: 'LoadBalancer', Value: lb.dimensions.LoadBalancer },
      { Name: 'TargetGroup', Value: lb.dimensions.TargetGroup },
    ];
    const deployed = await release(world, 'v2-slow-flaky');
    expect((await waitForDeployment(world, deployed.serviceDeploymentArn)).deployment.status).toBe('SUCCESSFUL');
    // Each -flaky request fails with probability 1/2, at random, each after 800 ms: the metrics count what was answered.
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(lb.url)));
    const failed = answers.filter((a) => a.status === 500).length;
    expect(answers.every((a) => a.status === 200 || a.status === 500)).toBe(true);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(20);

    expect(sum(await metric('RequestCount', 'Sum', both))).toBe(20);
    expect(sum(await metric('HTTPCode_Target_5XX_Count', 'Sum', both))).toBe(failed);
    expect(sum(await metric('HTTPCode_Target_2XX_Count', 'Sum', both))).toBe(20 - failed);
    expect(await metric('HTTPCode_ELB_5XX_Count', 'Sum', both)).toEqual([]);
    const [p50] = await metric('TargetResponseTime', 'p50', both);
    expect(p50).toBeGreaterThanOrEqual(0.8);
    expect(p50).toBeLessThan(2);
    // The same traffic under the load balancer alone, as AWS also publishes it.
    expect(sum(await metric('RequestCount', 'Sum', both.slice(0, 1)))).toBe(20);
    expect(sum(await metric('RequestCount', 'SampleCount', both))).toBe(20);
  });
});
