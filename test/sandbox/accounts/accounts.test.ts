import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AwsLocation } from '../../../sandbox/aws/location.ts';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { productionDemoSpec } from '../../../sandbox/ecs/seed.ts';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import { awsJson, describeWithAwsCli } from '../../e2e/support/aws-cli.ts';

// The sandbox's accounts and regions (issue 20): an access key id of twelve
// digits acts as that account, the signed region is the region, and ECS, ECR
// and CloudWatch answer each account and region from its own resources. The
// demo's production is seeded as the issue will move it: its service in
// 222222222222/us-west-2, its image in the tools account 333333333333.

const PRODUCTION: AwsLocation = { accountId: '222222222222', region: 'us-west-2' };
const TOOLS: AwsLocation = { accountId: '333333333333', region: 'us-west-2' };

/** SDK configuration acting as `accessKeyId` in `region`. */
const as = (accessKeyId: string, region = 'us-east-1') => ({
  endpoint: sandbox.endpoint,
  region,
  credentials: { accessKeyId, secretAccessKey: 'test' },
  maxAttempts: 1,
});

let sandbox: Sandbox;
let world: EcsWorld;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slackPort: 0, quiet: true, lbPorts: { web: 0 } });
  world = sandbox.services[0]?.handle as EcsWorld;
  await world.ensureService({ ...productionDemoSpec(), location: PRODUCTION, imageLocation: TOOLS });
  await world.waitForSteadyState('web-production', 'sandbox', 30_000, PRODUCTION);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
});

describe('ECS per account and region', () => {
  it("finds web-production as 222222222222 in us-west-2, and not in the sandbox's own account", async () => {
    const production = new ECSClient(as('222222222222', 'us-west-2'));
    const { services, failures } = await production.send(
      new DescribeServicesCommand({ cluster: 'sandbox', services: ['web-production'] }),
    );
    expect(failures).toEqual([]);
    expect(services?.[0]).toMatchObject({
      serviceArn: 'arn:aws:ecs:us-west-2:222222222222:service/sandbox/web-production',
      clusterArn: 'arn:aws:ecs:us-west-2:222222222222:cluster/sandbox',
      status: 'ACTIVE',
      runningCount: 2,
    });

    const home = new ECSClient(as('test'));
    const missing = await home.send(new DescribeServicesCommand({ cluster: 'sandbox', services: ['web-production'] }));
    expect(missing.services).toEqual([]);
    expect(missing.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:000000000000:service/sandbox/web-production', reason: 'MISSING' },
    ]);
  });

  it('lists each account and region its own services, and knows no cluster where none was made', async () => {
    const listed = async (key: string, region?: string) =>
      (await new ECSClient(as(key, region)).send(new ListServicesCommand({ cluster: 'sandbox' }))).serviceArns;
    expect(await listed('222222222222', 'us-west-2')).toEqual([
      'arn:aws:ecs:us-west-2:222222222222:service/sandbox/web-production',
    ]);
    expect(await listed('test')).toEqual(['arn:aws:ecs:us-east-1:000000000000:service/sandbox/web']);
    // The same account in another region: no cluster there.
    await expect(listed('222222222222', 'eu-west-1')).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    const clusters = await new ECSClient(as('444444444444')).send(
      new DescribeClustersCommand({ clusters: ['sandbox'] }),
    );
    expect(clusters.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:444444444444:cluster/sandbox', reason: 'MISSING' },
    ]);
  });

  it("runs the tools account's image, from a task definition and a load balancer of the production account", async () => {
    const production = new ECSClient(as('222222222222', 'us-west-2'));
    const { taskDefinition } = await production.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web-production' }),
    );
    expect(taskDefinition?.taskDefinitionArn).toBe(
      'arn:aws:ecs:us-west-2:222222222222:task-definition/web-production:1',
    );
    expect(taskDefinition?.executionRoleArn).toBe('arn:aws:iam::222222222222:role/ecsTaskExecutionRole');
    expect(taskDefinition?.containerDefinitions?.[0]?.image).toMatch(
      /^333333333333\.dkr\.ecr\.us-west-2\.localhost\/demo\/web@sha256:/,
    );
    const loadBalancer = world.loadBalancer('web-production', 'sandbox', PRODUCTION);
    expect(loadBalancer?.loadBalancerArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer\//,
    );
    const answer = await fetch(loadBalancer?.url ?? '');
    expect(await answer.text()).toMatch(/^demo\/web v1 /);
    // The home account has no such service, nor its load balancer.
    expect(world.loadBalancer('web-production')).toBeUndefined();
  });
});

describe('ECR per account and region', () => {
  it("keeps the tools account's repository in its registry only", async () => {
    const tools = new ECRClient(as('333333333333', 'us-west-2'));
    const { repositories } = await tools.send(new DescribeRepositoriesCommand({ repositoryNames: ['demo/web'] }));
    expect(repositories?.[0]).toMatchObject({
      registryId: '333333333333',
      repositoryArn: 'arn:aws:ecr:us-west-2:333333333333:repository/demo/web',
      repositoryUri: '333333333333.dkr.ecr.us-west-2.localhost/demo/web',
    });
    const production = new ECRClient(as('222222222222', 'us-west-2'));
    await expect(
      production.send(new DescribeRepositoriesCommand({ repositoryNames: ['demo/web'] })),
    ).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  });

  it('creates a repository in the caller account and region, invisible from the others', async () => {
    const other = new ECRClient(as('444444444444', 'eu-central-1'));
    const { repository } = await other.send(new CreateRepositoryCommand({ repositoryName: 'team/api' }));
    expect(repository?.repositoryArn).toBe('arn:aws:ecr:eu-central-1:444444444444:repository/team/api');
    const home = new ECRClient(as('test'));
    await expect(home.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/api'] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
    const all = await home.send(new DescribeRepositoriesCommand({}));
    expect(all.repositories?.map((r) => r.repositoryName)).not.toContain('team/api');
  });
  it("pushes to another account's registry, whose push event names that account", async () => {
    world.ecr.registryAt(TOOLS).createRepository('team/worker');
    const pushed = await world.ecr.push('team/worker', 'v1', { location: TOOLS });
    expect(pushed.imageUri).toMatch(/^333333333333\.dkr\.ecr\.us-west-2\.localhost\/team\/worker@sha256:/);
    expect(pushed.event).toMatchObject({
      account: '333333333333',
      region: 'us-west-2',
      detail: { 'repository-name': 'team/worker', 'image-tag': 'v1' },
    });
    expect(world.ecr.registry.findRepository('team/worker')).toBeUndefined();
  });
});

describe('CloudWatch per account and region', () => {
  it("keeps an account's metrics and alarms to itself, its alarm ARN in its account and region", async () => {
    const production = new CloudWatchClient(as('222222222222', 'us-west-2'));
    await production.send(
      new PutMetricDataCommand({ Namespace: 'Team/Api', MetricData: [{ MetricName: 'Orders', Value: 3 }] }),
    );
    await production.send(
      new PutMetricAlarmCommand({
        AlarmName: 'orders-low',
        Namespace: 'Team/Api',
        MetricName: 'Orders',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
      }),
    );
    const metrics = await production.send(new ListMetricsCommand({ Namespace: 'Team/Api' }));
    expect(metrics.Metrics?.map((m) => m.MetricName)).toEqual(['Orders']);
    const alarms = await production.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-low'] }));
    expect(alarms.MetricAlarms?.[0]?.AlarmArn).toBe('arn:aws:cloudwatch:us-west-2:222222222222:alarm:orders-low');

    const home = new CloudWatchClient(as('test'));
    expect((await home.send(new ListMetricsCommand({ Namespace: 'Team/Api' }))).Metrics).toEqual([]);
    expect((await home.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-low'] }))).MetricAlarms).toEqual([]);
    // The production load balancer's metrics are the production account's.
    const elb = await production.send(new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB' }));
    const dimension = world.loadBalancer('web-production', 'sandbox', PRODUCTION)?.dimensions.LoadBalancer;
    expect(elb.Metrics?.some((m) => m.Dimensions?.some((d) => d.Value === dimension))).toBe(true);
    const homeElb = await home.send(new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB' }));
    expect(homeElb.Metrics?.some((m) => m.Dimensions?.some((d) => d.Value === dimension))).toBe(false);
  });
});

describeWithAwsCli('the AWS CLI v2 as another account', () => {
  it('AWS_ACCESS_KEY_ID=222222222222 AWS_REGION=us-west-2 aws ecs describe-services finds web-production; the default account does not', async () => {
    const args = ['ecs', 'describe-services', '--cluster', 'sandbox', '--services', 'web-production'];
    type Answer = { services: { serviceArn: string; status: string }[]; failures: { reason: string }[] };
    const production = await awsJson<Answer>(sandbox.endpoint, args, {
      AWS_ACCESS_KEY_ID: '222222222222',
      AWS_REGION: 'us-west-2',
    });
    expect(production.services.map((s) => [s.serviceArn, s.status])).toEqual([
      ['arn:aws:ecs:us-west-2:222222222222:service/sandbox/web-production', 'ACTIVE'],
    ]);
    const home = await awsJson<Answer>(sandbox.endpoint, args);
    expect(home.services).toEqual([]);
    expect(home.failures.map((f) => f.reason)).toEqual(['MISSING']);
  });
});
