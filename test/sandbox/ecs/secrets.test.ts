import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DeleteParameterCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { createSsmEmulator } from '../../../sandbox/ssm/emulator.ts';
import { ParameterStore } from '../../../sandbox/ssm/parameter-store.ts';
import { secretValue } from '../../../sandbox/ssm/secret-value.ts';
import { type ContainerRuntime, demoAppRuntime } from '../../../sandbox/tasks/runtime.ts';
import { sdkConfig } from '../support/clients.ts';
import { testWorld } from '../support/ecs-world.ts';

// Container `secrets` as ECS injects them: each `valueFrom` (an SSM parameter
// name or ARN) becomes an environment variable holding the parameter's latest
// version when the task starts (never a label's, never later); a parameter
// that does not exist fails the task's start with ECS's
// ResourceInitializationError. Through the SDK v3 ECS and SSM clients.

const launched = new Map<string, Record<string, string>>();
// The demo app, noting the environment each task started with.
const recording: ContainerRuntime = {
  start: (launch) => {
    launched.set(launch.taskId, { ...launch.environment });
    return demoAppRuntime.start(launch);
  },
};

let world: EcsWorld;
let endpoint: AwsEndpoint;
let ecs: ECSClient;
let ssm: SSMClient;
const TOKEN_ARN = 'arn:aws:ssm:us-east-1:000000000000:parameter/app/token';

beforeAll(async () => {
  const parameters = new ParameterStore();
  world = testWorld({ runtime: recording, resolveSecret: async (valueFrom) => secretValue(parameters, valueFrom) });
  endpoint = await startAwsEndpoint({
    port: 0,
    emulators: [world.ecs, createSsmEmulator({ store: parameters, region: 'us-east-1', accountId: '000000000000' })],
  });
  ecs = new ECSClient(sdkConfig(endpoint.url));
  ssm = new SSMClient(sdkConfig(endpoint.url));
  await ecs.send(new CreateClusterCommand({ clusterName: 'sandbox' }));
  world.ecr.registry.createRepository('demo/job');
  const pushed = await world.ecr.push('demo/job', 'v1');
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'job',
      containerDefinitions: [
        {
          name: 'job',
          image: pushed.imageUri,
          memory: 128,
          environment: [{ name: 'PLAIN', value: 'plain' }],
          secrets: [
            { name: 'DATABASE_CREDENTIAL', valueFrom: '/app/db' },
            { name: 'TOKEN', valueFrom: TOKEN_ARN },
          ],
        },
      ],
    }),
  );
  await ssm.send(new PutParameterCommand({ Name: '/app/db', Value: 'db-v1', Type: 'SecureString' }));
  await ssm.send(new PutParameterCommand({ Name: '/app/token', Value: 'token-v1', Type: 'SecureString' }));
});

afterAll(async () => {
  ecs?.destroy();
  ssm?.destroy();
  await endpoint?.close();
  await world?.stop();
});

async function runJob(): Promise<Task> {
  const { tasks = [] } = await ecs.send(new RunTaskCommand({ cluster: 'sandbox', taskDefinition: 'job' }));
  const arn = tasks[0]?.taskArn;
  if (!arn) throw new Error('RunTask started no task');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { tasks: [task] = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'sandbox', tasks: [arn] }));
    if (task?.lastStatus === 'RUNNING' || task?.lastStatus === 'STOPPED') return task;
    if (Date.now() > deadline) throw new Error(`task ${arn} is still ${task?.lastStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const environmentOf = (task: Task) => launched.get(task.taskArn?.split('/').at(-1) ?? '');

describe('container secrets from SSM', () => {
  it('start each task with the latest version of every parameter, by name or ARN', async () => {
    const first = await runJob();
    expect(environmentOf(first)).toMatchObject({ PLAIN: 'plain', DATABASE_CREDENTIAL: 'db-v1', TOKEN: 'token-v1' });

    await ssm.send(new PutParameterCommand({ Name: '/app/db', Value: 'db-v2', Overwrite: true }));
    // A label on the older version changes nothing: ECS cannot pin a version.
    await ssm.send(new LabelParameterVersionCommand({ Name: '/app/db', ParameterVersion: 1, Labels: ['current'] }));
    const second = await runJob();
    expect(environmentOf(second)?.DATABASE_CREDENTIAL).toBe('db-v2');
    // A running task keeps what it started with.
    expect(environmentOf(first)?.DATABASE_CREDENTIAL).toBe('db-v1');
  });

  it("fail a task's start when a parameter is missing, as ECS reports it, without showing any value", async () => {
    await ssm.send(new DeleteParameterCommand({ Name: '/app/token' }));
    const task = await runJob();
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(task.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*unable to retrieve secrets from ssm: .*invalid parameters: arn:aws:ssm:us-east-1:000000000000:parameter\/app\/token/,
    );
    expect(environmentOf(task)).toBeUndefined();
    expect(JSON.stringify(task)).not.toContain('db-v2');
  });
});
