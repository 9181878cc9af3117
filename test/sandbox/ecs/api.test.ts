import type { Cluster, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { AwsApiError } from '../../../sandbox/aws/service.ts';
import { failureThreshold } from '../../../sandbox/ecs/circuit-breaker.ts';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import type { ServiceRecord } from '../../../sandbox/ecs/service-model.ts';
import { call, testWorld } from '../support/ecs-world.ts';

// The ECS operations' answers and errors, as the functions and the AWS CLI see them.

let world: EcsWorld;

beforeAll(async () => {
  world = testWorld();
  await world.seedDemo({ port: 0 });
  await world.waitForSteadyState('web');
});

afterAll(() => world.stop());

const rejects = (operation: string, input: Record<string, unknown>) =>
  expect(world.ecs.handle(operation, input)).rejects;

describe('ECS clusters', () => {
  it('creates idempotently, describes with counts, reports missing ones', async () => {
    const created = await call<{ cluster: Cluster }>(world.ecs, 'CreateCluster', { clusterName: 'sandbox' });
    expect(created.cluster.clusterArn).toBe('arn:aws:ecs:us-east-1:000000000000:cluster/sandbox');
    const described = await call<{ clusters: Cluster[]; failures: unknown[] }>(world.ecs, 'DescribeClusters', {
      clusters: ['sandbox', 'nope'],
    });
    expect(described.clusters[0]).toMatchObject({
      clusterName: 'sandbox',
      status: 'ACTIVE',
      runningTasksCount: 2,
      activeServicesCount: 1,
    });
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' }]);
    await expect(call(world.ecs, 'ListClusters', {})).resolves.toEqual({ clusterArns: [created.cluster.clusterArn] });
  });
});

describe('ECS task definitions', () => {
  const container = { name: 'web', image: 'demo/web:v1', memory: 128 };

  it('registers revisions and describes them, with tags only when asked', async () => {
    const first = await call<{ taskDefinition: TaskDefinition }>(world.ecs, 'RegisterTaskDefinition', {
      family: 'api',
      containerDefinitions: [container],
      tags: [{ key: 'team', value: 'api' }],
    });
    const second = await call<{ taskDefinition: TaskDefinition }>(world.ecs, 'RegisterTaskDefinition', {
      family: 'api',
      containerDefinitions: [{ ...container, image: 'demo/web:v2' }],
    });
    expect(first.taskDefinition).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/api:1',
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'bridge',
      containerDefinitions: [expect.objectContaining({ name: 'web', essential: true, cpu: 0, environment: [] })],
    });
    expect(first.taskDefinition.registeredAt).toBeInstanceOf(Date);
    expect(second.taskDefinition.revision).toBe(2);

    const latest = await call<{ taskDefinition: TaskDefinition; tags?: unknown }>(world.ecs, 'DescribeTaskDefinition', {
      taskDefinition: 'api',
    });
    expect(latest.taskDefinition.revision).toBe(2);
    expect(latest.tags).toBeUndefined();
    const tagged = await call<{ tags: unknown }>(world.ecs, 'DescribeTaskDefinition', {
      taskDefinition: 'api:1',
      include: ['TAGS'],
    });
    expect(tagged.tags).toEqual([{ key: 'team', value: 'api' }]);
    await expect(call(world.ecs, 'ListTaskDefinitions', { familyPrefix: 'api', sort: 'DESC' })).resolves.toEqual({
      taskDefinitionArns: [second.taskDefinition.taskDefinitionArn, first.taskDefinition.taskDefinitionArn],
    });
  });

  it.each([
    [
      { family: 'x', containerDefinitions: [{ ...container, image: '' }] },
      'Container.image should not be null or empty.',
    ],
    [{ family: 'x', containerDefinitions: [] }, 'Container list cannot be empty.'],
    [{ family: 'bad name', containerDefinitions: [container] }, /^Family contains invalid characters/],
    [
      { family: 'x', containerDefinitions: [{ name: 'web', image: 'demo/web:v1' }] },
      "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified.",
    ],
    [
      {
        family: 'x',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [container],
      },
      "Fargate only supports network mode 'awsvpc'.",
    ],
    [{ family: 'x', containerDefinitions: [container, container] }, /^Duplicate container name 'web'/],
    [
      { family: 'x', containerDefinitions: [{ ...container, essential: false }] },
      'Task definition must contain at least one essential container.',
    ],
  ])('refuses an invalid definition with a ClientException (%#)', async (input, message) => {
    const error = await world.ecs.handle('RegisterTaskDefinition', input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsApiError);
    expect(error).toMatchObject({ code: 'ClientException', statusCode: 400 });
    expect((error as Error).message).toMatch(message);
  });

  it('answers an unknown task definition as ECS does', async () => {
    await rejects('DescribeTaskDefinition', { taskDefinition: 'nope:9' }).toMatchObject({
      code: 'ClientException',
      message: 'Unable to describe task definition.',
    });
  });
});

describe('ECS services', () => {
  it('describes the demo service with its deployment, load balancer, circuit breaker and events', async () => {
    const { services, failures } = await call<{ services: Service[]; failures: unknown[] }>(
      world.ecs,
      'DescribeServices',
      {
        cluster: 'sandbox',
        services: ['web', 'nope'],
      },
    );
    expect(services[0]).toMatchObject({
      serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/sandbox/web',
      serviceName: 'web',
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      loadBalancers: [expect.objectContaining({ containerName: 'web', containerPort: 8080 })],
      deploymentController: { type: 'ECS' },
    });
    expect(services[0]?.currentServiceDeployment).toMatch(
      /^arn:aws:ecs:us-east-1:000000000000:service-deployment\/sandbox\/web\/[\w-]{21}$/,
    );
    expect(services[0]?.deployments?.[0]?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:service/sandbox/nope', reason: 'MISSING' }]);
  });

  it('pins the demo image by digest, and the tasks run it', async () => {
    const { taskDefinition } = await call<{ taskDefinition: TaskDefinition }>(world.ecs, 'DescribeTaskDefinition', {
      taskDefinition: 'web',
    });
    const image = taskDefinition.containerDefinitions?.[0]?.image;
    expect(image).toMatch(/^000000000000\.dkr\.ecr\.us-east-1\.localhost\/demo\/web@sha256:[0-9a-f]{64}$/);
    const { taskArns } = await call<{ taskArns: string[] }>(world.ecs, 'ListTasks', {
      cluster: 'sandbox',
      serviceName: 'web',
    });
    expect(taskArns).toHaveLength(2);
    const { tasks } = await call<{ tasks: Task[] }>(world.ecs, 'DescribeTasks', {
      cluster: 'sandbox',
      tasks: taskArns,
    });
    for (const task of tasks) {
      expect(task).toMatchObject({
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
        group: 'service:web',
        launchType: 'FARGATE',
      });
      expect(task.startedBy).toMatch(/^ecs-svc\//);
      expect(task.containers?.[0]).toMatchObject({
        name: 'web',
        image,
        imageDigest: image?.split('@')[1],
        lastStatus: 'RUNNING',
      });
      const port = task.containers?.[0]?.networkBindings?.[0]?.hostPort;
      const answer = await fetch(`http://127.0.0.1:${port}/`);
      expect(await answer.text()).toBe(`demo/web v1 (task ${task.taskArn?.split('/').at(-1)})\n`);
    }
    await expect(call(world.ecs, 'ListTasks', { cluster: 'sandbox', family: 'nope' })).resolves.toEqual({
      taskArns: [],
    });
    await expect(
      call(world.ecs, 'ListTasks', { cluster: 'sandbox', serviceName: 'web', desiredStatus: 'STOPPED' }),
    ).resolves.toEqual({
      taskArns: [],
    });
  });

  it.each([
    [
      'an unknown cluster',
      { cluster: 'nope', serviceName: 's', taskDefinition: 'web', desiredCount: 1 },
      'ClusterNotFoundException',
    ],
    [
      'an existing service',
      { cluster: 'sandbox', serviceName: 'web', taskDefinition: 'web', desiredCount: 1 },
      'InvalidParameterException',
    ],
    [
      'an unknown task definition',
      { cluster: 'sandbox', serviceName: 's', taskDefinition: 'nope', desiredCount: 1 },
      'ClientException',
    ],
    [
      'awsvpc without a network configuration',
      { cluster: 'sandbox', serviceName: 's', taskDefinition: 'web', desiredCount: 1 },
      'InvalidParameterException',
    ],
    [
      'an unknown target group',
      {
        cluster: 'sandbox',
        serviceName: 's',
        taskDefinition: 'web',
        desiredCount: 1,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
        loadBalancers: [
          {
            targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/x/1',
            containerName: 'web',
            containerPort: 8080,
          },
        ],
      },
      'InvalidParameterException',
    ],
    [
      'a blue/green strategy without a load balancer with advancedConfiguration',
      {
        cluster: 'sandbox',
        serviceName: 's',
        taskDefinition: 'web',
        desiredCount: 1,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
      },
      'InvalidParameterException',
    ],
  ])('refuses CreateService with %s', async (_case, input, code) => {
    await rejects('CreateService', input).toMatchObject({ code });
  });

  it('answers unknown services, deployments and operations with AWS errors', async () => {
    await rejects('UpdateService', { cluster: 'sandbox', service: 'nope', desiredCount: 1 }).toMatchObject({
      code: 'ServiceNotFoundException',
      message: 'Service not found.',
    });
    await rejects('StopServiceDeployment', {
      serviceDeploymentArn: 'arn:aws:ecs:us-east-1:000000000000:service-deployment/sandbox/web/x',
    }).toMatchObject({
      code: 'ServiceDeploymentNotFoundException',
    });
    await rejects('DeleteCapacityProvider', {}).toMatchObject({ code: 'UnknownOperationException' });
    await rejects('DescribeServices', { cluster: 'sandbox', services: 'web' }).toMatchObject({
      code: 'InvalidParameterException',
    });
  });

  it('refuses to stop a deployment that has finished', async () => {
    const { services } = await call<{ services: Service[] }>(world.ecs, 'DescribeServices', {
      cluster: 'sandbox',
      services: ['web'],
    });
    await rejects('StopServiceDeployment', {
      serviceDeploymentArn: services[0]?.currentServiceDeployment,
      stopType: 'ROLLBACK',
    }).toMatchObject({
      code: 'ConflictException',
    });
  });
});

describe('the circuit breaker threshold', () => {
  const service = (
    desiredCount: number,
    thresholdConfiguration?: { type: 'COUNT' | 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT'; value: number },
  ) =>
    ({
      desiredCount,
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: {
          enable: true,
          rollback: true,
          ...(thresholdConfiguration ? { thresholdConfiguration } : {}),
        },
      },
    }) as ServiceRecord;

  it.each([
    [1, 3],
    [2, 3],
    [7, 4],
    [10, 5],
    [1000, 200],
  ])('is half the desired count within [3, 200]: %i tasks → %i', (desired, threshold) => {
    expect(failureThreshold(service(desired))).toBe(threshold);
  });

  it('follows thresholdConfiguration', () => {
    expect(failureThreshold(service(10, { type: 'COUNT', value: 1 }))).toBe(1);
    expect(failureThreshold(service(1000, { type: 'UNBOUNDED_PERCENT', value: 50 }))).toBe(500);
    expect(failureThreshold(service(2, { type: 'BOUNDED_PERCENT', value: 100 }))).toBe(3);
  });
});
