import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ECS_ARN as ARN, awsError, runningTaskArns, useSdkWorld } from '../support/ecs-sdk.ts';

// RunTask through the AWS SDK v3 ECS client, as a platform engineer's
// script or the ECS deploy GitHub Action runs a one-off task (a migration):
// the tasks it answers, how they run and stop, and its AWS errors and limits.

const sdk = useSdkWorld();
const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
const runningArns = (filter: { startedBy?: string; serviceName?: string } = {}) => runningTaskArns(sdk.ecs, filter);

async function describeTask(arn: string, cluster = 'sandbox'): Promise<Task> {
  const { tasks = [] } = await sdk.ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn], include: ['TAGS'] }));
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

describe('RunTask', () => {
  beforeAll(async () => {
    // A bridge-mode (EC2) job whose image exits at start with code 1 (the demo app's `-crash`).
    const pushed = await sdk.world.ecr.push('demo/web', 'migrate-crash');
    await sdk.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'migrate',
        containerDefinitions: [{ name: 'migrate', image: pushed.imageUri, memory: 128 }],
      }),
    );
  });

  it('runs one-off tasks of a task definition through the task runtime, with overrides and tags', async () => {
    const { tasks = [], failures } = await sdk.ecs.send(
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

    for (const arn of arns) await sdk.ecs.send(new StopTaskCommand({ cluster: 'sandbox', task: arn, reason: 'done' }));
    const stopped = await waitForTask(arns[0] ?? '', 'STOPPED');
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'done' });
    expect(stopped.containers?.[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
  });

  it('stops a task whose essential container exits, with its exit code, and leaves the services alone', async () => {
    const { tasks = [] } = await sdk.ecs.send(
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
    const { services = [] } = await sdk.ecs.send(
      new DescribeServicesCommand({ cluster: 'sandbox', services: ['web'] }),
    );
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
    const error = await awsError(
      sdk.ecs.send(
        new RunTaskCommand({ cluster: 'sandbox', taskDefinition: 'web', networkConfiguration: network, ...input }),
      ),
    );
    expect(error?.name).toBe(name);
    expect(error?.message).toMatch(message);
    expect(await runningArns({})).toEqual(before);
  });

  it('refuses an INACTIVE revision', async () => {
    await sdk.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'retired',
        containerDefinitions: [{ name: 'x', image: 'demo/web:v1', memory: 128 }],
      }),
    );
    await sdk.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'retired:1' }));
    await expect(
      awsError(sdk.ecs.send(new RunTaskCommand({ cluster: 'sandbox', taskDefinition: 'retired:1' }))),
    ).resolves.toEqual({ name: 'ClientException', message: 'TaskDefinition is inactive' });
  });
});
