import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { sdkConfig } from '../support/clients.ts';
import { testWorld } from '../support/ecs-world.ts';

// DeleteService, RunTask, ListTagsForResource and ListTaskDefinitionFamilies
// through the AWS SDK v3 ECS client, as a platform engineer's script or the
// ECS deploy GitHub Action calls them: answers, AWS errors, limits.

let world: EcsWorld;
let endpoint: AwsEndpoint;
let ecs: ECSClient;

beforeAll(async () => {
  world = testWorld();
  await world.seedDemo({ port: 0 });
  endpoint = await startAwsEndpoint({ port: 0, emulators: [world.ecs] });
  ecs = new ECSClient(sdkConfig(endpoint.url));
  await world.waitForSteadyState('web');
});

afterAll(async () => {
  ecs?.destroy();
  await endpoint?.close();
  await world?.stop();
});

const ARN = 'arn:aws:ecs:us-east-1:000000000000';
const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };

/** The AWS error an SDK call fails with (name and message), or undefined if it succeeds. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => ({ name: (error as Error).name, message: (error as Error).message }),
  );

async function describeTask(arn: string, cluster = 'sandbox'): Promise<Task> {
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn], include: ['TAGS'] }));
  const task = tasks[0];
  if (!task) throw new Error(`no task ${arn}`);
  return task;
}

async function waitForTask(arn: string, status: string): Promise<Task> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const task = await describeTask(arn);
    if (task.lastStatus === status) return task;
    if (Date.now() > deadline) throw new Error(`task ${arn} still ${task.lastStatus}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const runningArns = async (input: { startedBy?: string; serviceName?: string; family?: string }) =>
  (await ecs.send(new ListTasksCommand({ cluster: 'sandbox', ...input }))).taskArns ?? [];

describe('RunTask', () => {
  beforeAll(async () => {
    // A bridge-mode (EC2) job whose image exits at start with code 1 (the demo app's `-crash`).
    const pushed = await world.ecr.push('demo/web', 'migrate-crash');
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'migrate',
        containerDefinitions: [{ name: 'migrate', image: pushed.imageUri, memory: 128 }],
      }),
    );
  });

  it('runs one-off tasks of a task definition through the task runtime, with overrides and tags', async () => {
    const { tasks = [], failures } = await ecs.send(
      new RunTaskCommand({
        cluster: 'sandbox',
        taskDefinition: 'web',
        count: 2,
        launchType: 'FARGATE',
        networkConfiguration: network,
        startedBy: 'migration',
        tags: [{ key: 'job', value: 'migrate' }],
        overrides: {
          containerOverrides: [
            { name: 'web', command: ['npm', 'run', 'migrate'], environment: [{ name: 'MIGRATE_TO', value: '42' }] },
          ],
        },
      }),
    );
    expect(failures).toEqual([]);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task).toMatchObject({
        clusterArn: `${ARN}:cluster/sandbox`,
        taskDefinitionArn: `${ARN}:task-definition/web:1`,
        group: 'family:web',
        startedBy: 'migration',
        launchType: 'FARGATE',
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        tags: [{ key: 'job', value: 'migrate' }],
        overrides: {
          containerOverrides: [
            { name: 'web', command: ['npm', 'run', 'migrate'], environment: [{ name: 'MIGRATE_TO', value: '42' }] },
          ],
          inferenceAcceleratorOverrides: [],
        },
      });
      expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\/sandbox\/[0-9a-f]{32}$/);
    }
    const arns = tasks.map((t) => t.taskArn ?? '');
    expect((await runningArns({ startedBy: 'migration' })).sort()).toEqual([...arns].sort());
    expect(await runningArns({ serviceName: 'web' })).not.toContain(arns[0]);

    // The container runs with the override's environment (the demo app's /info names its variables).
    const running = await waitForTask(arns[0] ?? '', 'RUNNING');
    const port = running.containers?.[0]?.networkBindings?.[0]?.hostPort;
    const info = (await (await fetch(`http://127.0.0.1:${port}/info`)).json()) as { environment: string[] };
    expect(info.environment).toContain('MIGRATE_TO');

    for (const arn of arns) await ecs.send(new StopTaskCommand({ cluster: 'sandbox', task: arn, reason: 'done' }));
    const stopped = await waitForTask(arns[0] ?? '', 'STOPPED');
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'done' });
    expect(stopped.containers?.[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
  });

  it('stops a task whose essential container exits, with its exit code, and leaves the services alone', async () => {
    const { tasks = [] } = await ecs.send(
      new RunTaskCommand({ cluster: 'sandbox', taskDefinition: `${ARN}:task-definition/migrate:1` }),
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ launchType: 'EC2', group: 'family:migrate', tags: [] });
    const stopped = await waitForTask(tasks[0]?.taskArn ?? '', 'STOPPED');
    expect(stopped).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(stopped.containers?.[0]?.exitCode).toBe(1);
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: 'sandbox', services: ['web'] }));
    expect(services[0]).toMatchObject({ runningCount: 2, deployments: [expect.objectContaining({ failedTasks: 0 })] });
  });

  it.each<[string, Partial<RunTaskCommandInput>, string, string | RegExp]>([
    ['more than 10 tasks', { count: 11 }, 'InvalidParameterException', 'count must be an integer from 1 to 10.'],
    ['no task', { count: 0 }, 'InvalidParameterException', 'count must be an integer from 1 to 10.'],
    ['an unknown cluster', { cluster: 'nope' }, 'ClusterNotFoundException', 'Cluster not found.'],
    ['an unknown task definition', { taskDefinition: 'nope:1' }, 'ClientException', 'TaskDefinition not found.'],
    [
      'awsvpc without a network configuration',
      { networkConfiguration: undefined },
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    ],
    [
      'an override of an unknown container',
      { overrides: { containerOverrides: [{ name: 'db', command: ['x'] }] } },
      'InvalidParameterException',
      'Override for container named db is not a container in the TaskDefinition.',
    ],
    [
      'overrides over 8192 characters',
      { overrides: { containerOverrides: [{ name: 'web', command: ['x'.repeat(8200)] }] } },
      'InvalidParameterException',
      'Container Overrides length must be at most 8192',
    ],
    [
      'a launch type the definition does not support',
      { taskDefinition: 'migrate', launchType: 'FARGATE' },
      'InvalidParameterException',
      'Task definition does not support launch_type FARGATE.',
    ],
    ['an invalid startedBy', { startedBy: 'a b' }, 'InvalidParameterException', /^startedBy can have up to 128/],
    ['a service group', { group: 'service:web' }, 'InvalidParameterException', /reserves task groups/],
    ['propagateTags SERVICE', { propagateTags: 'SERVICE' }, 'InvalidParameterException', /SERVICE option/],
    [
      'more than 50 tags',
      { tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) },
      'InvalidParameterException',
      'tags can have at most 50 tags.',
    ],
  ])('refuses %s with the AWS error and starts nothing', async (_case, input, name, message) => {
    const before = await runningArns({});
    const error = await failure(
      ecs.send(
        new RunTaskCommand({ cluster: 'sandbox', taskDefinition: 'web', networkConfiguration: network, ...input }),
      ),
    );
    expect(error?.name).toBe(name);
    expect(error?.message).toMatch(message);
    expect(await runningArns({})).toEqual(before);
  });

  it('refuses an INACTIVE revision', async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'retired',
        containerDefinitions: [{ name: 'x', image: 'demo/web:v1', memory: 128 }],
      }),
    );
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'retired:1' }));
    await expect(
      failure(ecs.send(new RunTaskCommand({ cluster: 'sandbox', taskDefinition: 'retired:1' }))),
    ).resolves.toEqual({ name: 'ClientException', message: 'TaskDefinition is inactive' });
  });
});

describe('ListTagsForResource', () => {
  it('lists the tags of clusters, services, task definitions and tasks', async () => {
    const tags = [{ key: 'team', value: 'platform' }];
    await ecs.send(new CreateClusterCommand({ clusterName: 'tagged', tags }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'tagged-job',
        containerDefinitions: [{ name: 'job', image: 'demo/web:v1', memory: 128 }],
        tags: [{ key: 'kind', value: 'job' }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'tagged',
        serviceName: 'idle',
        taskDefinition: 'tagged-job',
        desiredCount: 0,
        tags: [{ key: 'tier', value: 'backend' }],
      }),
    );
    const { tasks = [] } = await ecs.send(
      new RunTaskCommand({
        cluster: 'tagged',
        taskDefinition: 'tagged-job',
        propagateTags: 'TASK_DEFINITION',
        tags: [{ key: 'run', value: '1' }],
      }),
    );
    const list = async (resourceArn: string) => (await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags;
    expect(await list(`${ARN}:cluster/tagged`)).toEqual(tags);
    expect(await list(`${ARN}:service/tagged/idle`)).toEqual([{ key: 'tier', value: 'backend' }]);
    expect(await list(`${ARN}:task-definition/tagged-job:1`)).toEqual([{ key: 'kind', value: 'job' }]);
    expect(await list(tasks[0]?.taskArn ?? '')).toEqual([
      { key: 'kind', value: 'job' },
      { key: 'run', value: '1' },
    ]);
    expect(await list(`${ARN}:cluster/sandbox`)).toEqual([]);
  });

  it.each([
    ['not an ARN', 'web', 'InvalidParameterException', 'The ARN provided is invalid.'],
    [
      'another service',
      'arn:aws:ecr:us-east-1:000000000000:repository/demo/web',
      'InvalidParameterException',
      'The ARN provided is invalid.',
    ],
    [
      'a task definition without revision',
      `${ARN}:task-definition/web`,
      'InvalidParameterException',
      'The ARN provided is invalid.',
    ],
    [
      'a short service ARN',
      `${ARN}:service/web`,
      'InvalidParameterException',
      'Long arn format must be used for tagging operations',
    ],
    ['an unknown cluster', `${ARN}:cluster/nope`, 'ClusterNotFoundException', 'Cluster not found.'],
    ['an unknown service', `${ARN}:service/sandbox/nope`, 'ServiceNotFoundException', 'Service not found.'],
    [
      'an unknown task definition',
      `${ARN}:task-definition/web:9`,
      'ClientException',
      'Unable to describe task definition.',
    ],
    [
      'an unknown task',
      `${ARN}:task/sandbox/${'0'.repeat(32)}`,
      'InvalidParameterException',
      'The referenced task was not found.',
    ],
    [
      'another account',
      'arn:aws:ecs:us-east-1:111111111111:cluster/sandbox',
      'ClusterNotFoundException',
      'Cluster not found.',
    ],
  ])('answers %s with the AWS error', async (_case, resourceArn, name, message) => {
    await expect(failure(ecs.send(new ListTagsForResourceCommand({ resourceArn })))).resolves.toEqual({
      name,
      message,
    });
  });
});

describe('ListTaskDefinitionFamilies', () => {
  beforeAll(async () => {
    const register = (family: string) =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          containerDefinitions: [{ name: 'x', image: 'demo/web:v1', memory: 128 }],
        }),
      );
    await register('fam-b');
    await register('fam-a');
    await register('fam-a');
    await register('other');
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'fam-b:1' }));
  });

  const families = async (input: { familyPrefix?: string; status?: 'ACTIVE' | 'INACTIVE' | 'ALL' }) =>
    (await ecs.send(new ListTaskDefinitionFamiliesCommand(input))).families;

  it('lists families by prefix in alphabetical order, ACTIVE and INACTIVE unless asked', async () => {
    expect(await families({ familyPrefix: 'fam-' })).toEqual(['fam-a', 'fam-b']);
    expect(await families({ familyPrefix: 'fam-', status: 'ALL' })).toEqual(['fam-a', 'fam-b']);
    expect(await families({ familyPrefix: 'fam-', status: 'ACTIVE' })).toEqual(['fam-a']);
    expect(await families({ familyPrefix: 'fam-', status: 'INACTIVE' })).toEqual(['fam-b']);
    expect(await families({})).toEqual(expect.arrayContaining(['fam-a', 'fam-b', 'other', 'web']));
  });

  it('pages with maxResults and nextToken', async () => {
    const first = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'fam-', maxResults: 1 }));
    expect(first.families).toEqual(['fam-a']);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await ecs.send(
      new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'fam-', maxResults: 1, nextToken: first.nextToken }),
    );
    expect(second).toMatchObject({ families: ['fam-b'] });
    expect(second.nextToken).toBeUndefined();
  });

  it('refuses a bad status, maxResults or nextToken', async () => {
    const send = (input: Record<string, unknown>) =>
      failure(ecs.send(new ListTaskDefinitionFamiliesCommand(input as never)));
    await expect(send({ status: 'GONE' })).resolves.toEqual({
      name: 'InvalidParameterException',
      message: 'status must be one of ACTIVE, INACTIVE, ALL.',
    });
    await expect(send({ maxResults: 101 })).resolves.toMatchObject({ name: 'InvalidParameterException' });
    await expect(send({ nextToken: 'bm9wZQ' })).resolves.toEqual({
      name: 'InvalidParameterException',
      message: 'The nextToken is not valid.',
    });
  });
});

describe('DeleteService', () => {
  it('refuses a service scaled above 0 without force, and changes nothing', async () => {
    await world.ensureService({ service: 'doomed', repository: 'demo/web', tag: 'v1' });
    await world.waitForSteadyState('doomed');
    await expect(
      failure(ecs.send(new DeleteServiceCommand({ cluster: 'sandbox', service: 'doomed' }))),
    ).resolves.toEqual({
      name: 'InvalidParameterException',
      message: 'The service cannot be stopped while it is scaled above 0.',
    });
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: 'sandbox', services: ['doomed'] }));
    expect(services[0]).toMatchObject({ status: 'ACTIVE', desiredCount: 2, runningCount: 2 });
  });

  it('with force, drains the service: DRAINING, its tasks stop, then INACTIVE; no longer listed', async () => {
    const { service } = await ecs.send(
      new DeleteServiceCommand({ cluster: 'sandbox', service: 'doomed', force: true }),
    );
    expect(service).toMatchObject({
      serviceArn: `${ARN}:service/sandbox/doomed`,
      status: 'DRAINING',
      desiredCount: 0,
    });
    const { serviceArns = [] } = await ecs.send(new ListServicesCommand({ cluster: 'sandbox' }));
    expect(serviceArns).toEqual([`${ARN}:service/sandbox/web`]);

    const deadline = Date.now() + 15_000;
    let status = 'DRAINING';
    while (status !== 'INACTIVE' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { services = [] } = await ecs.send(
        new DescribeServicesCommand({ cluster: 'sandbox', services: ['doomed'] }),
      );
      status = services[0]?.status ?? 'MISSING';
    }
    expect(status).toBe('INACTIVE');
    expect(await runningArns({ serviceName: 'doomed' })).toEqual([]);
    const stopped = await ecs.send(
      new ListTasksCommand({ cluster: 'sandbox', serviceName: 'doomed', desiredStatus: 'STOPPED' }),
    );
    expect(stopped.taskArns).toHaveLength(2);
    // The demo service is untouched.
    expect(await runningArns({ serviceName: 'web' })).toHaveLength(2);
  });

  it('answers a deleted service, an unknown one and an unknown cluster with the AWS errors', async () => {
    const send = (cluster: string, service: string) =>
      failure(ecs.send(new DeleteServiceCommand({ cluster, service, force: true })));
    await expect(send('sandbox', 'doomed')).resolves.toEqual({
      name: 'ServiceNotActiveException',
      message: 'Service was not ACTIVE.',
    });
    await expect(send('sandbox', 'nope')).resolves.toEqual({
      name: 'ServiceNotFoundException',
      message: 'Service not found.',
    });
    await expect(send('nope', 'web')).resolves.toEqual({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    });
  });

  it('deletes a service scaled to 0 without force', async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'idle',
        containerDefinitions: [{ name: 'idle', image: 'demo/web:v1', memory: 128 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({ cluster: 'sandbox', serviceName: 'idle', taskDefinition: 'idle', desiredCount: 0 }),
    );
    const { service } = await ecs.send(new DeleteServiceCommand({ cluster: 'sandbox', service: 'idle' }));
    expect(service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
  });
});
