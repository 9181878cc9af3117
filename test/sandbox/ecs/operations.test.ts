import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ECS_ARN as ARN, awsError, runningTaskArns, useSdkWorld } from '../support/ecs-sdk.ts';

// DeleteService, ListTagsForResource and ListTaskDefinitionFamilies through
// the AWS SDK v3 ECS client, as a platform engineer's script calls them:
// answers, AWS errors, limits. RunTask has its own file (run-task.test.ts).

const sdk = useSdkWorld();
const runningArns = (filter: { startedBy?: string; serviceName?: string } = {}) => runningTaskArns(sdk.ecs, filter);

describe('ListTagsForResource', () => {
  it('lists the tags of clusters, services, task definitions and tasks', async () => {
    const tags = [{ key: 'team', value: 'platform' }];
    await sdk.ecs.send(new CreateClusterCommand({ clusterName: 'tagged', tags }));
    await sdk.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'tagged-job',
        containerDefinitions: [{ name: 'job', image: 'demo/web:v1', memory: 128 }],
        tags: [{ key: 'kind', value: 'job' }],
      }),
    );
    await sdk.ecs.send(
      new CreateServiceCommand({
        cluster: 'tagged',
        serviceName: 'idle',
        taskDefinition: 'tagged-job',
        desiredCount: 0,
        tags: [{ key: 'tier', value: 'backend' }],
      }),
    );
    const { tasks = [] } = await sdk.ecs.send(
      new RunTaskCommand({
        cluster: 'tagged',
        taskDefinition: 'tagged-job',
        propagateTags: 'TASK_DEFINITION',
        tags: [{ key: 'run', value: '1' }],
      }),
    );
    const list = async (resourceArn: string) =>
      (await sdk.ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags;
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
    await expect(awsError(sdk.ecs.send(new ListTagsForResourceCommand({ resourceArn })))).resolves.toEqual({
      name,
      message,
    });
  });
});

describe('ListTaskDefinitionFamilies', () => {
  beforeAll(async () => {
    const register = (family: string) =>
      sdk.ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          containerDefinitions: [{ name: 'x', image: 'demo/web:v1', memory: 128 }],
        }),
      );
    await register('fam-b');
    await register('fam-a');
    await register('fam-a');
    await register('other');
    await sdk.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'fam-b:1' }));
  });

  const families = async (input: { familyPrefix?: string; status?: 'ACTIVE' | 'INACTIVE' | 'ALL' }) =>
    (await sdk.ecs.send(new ListTaskDefinitionFamiliesCommand(input))).families;

  it('lists families by prefix in alphabetical order, ACTIVE and INACTIVE unless asked', async () => {
    expect(await families({ familyPrefix: 'fam-' })).toEqual(['fam-a', 'fam-b']);
    expect(await families({ familyPrefix: 'fam-', status: 'ALL' })).toEqual(['fam-a', 'fam-b']);
    expect(await families({ familyPrefix: 'fam-', status: 'ACTIVE' })).toEqual(['fam-a']);
    expect(await families({ familyPrefix: 'fam-', status: 'INACTIVE' })).toEqual(['fam-b']);
    expect(await families({})).toEqual(expect.arrayContaining(['fam-a', 'fam-b', 'other', 'web']));
  });

  it('pages with maxResults and nextToken', async () => {
    const first = await sdk.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'fam-', maxResults: 1 }));
    expect(first.families).toEqual(['fam-a']);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await sdk.ecs.send(
      new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'fam-', maxResults: 1, nextToken: first.nextToken }),
    );
    expect(second).toMatchObject({ families: ['fam-b'] });
    expect(second.nextToken).toBeUndefined();
  });

  it('refuses a bad status, maxResults or nextToken', async () => {
    const send = (input: Record<string, unknown>) =>
      awsError(sdk.ecs.send(new ListTaskDefinitionFamiliesCommand(input as never)));
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
    await sdk.world.ensureService({ service: 'doomed', repository: 'demo/web', tag: 'v1' });
    await sdk.world.waitForSteadyState('doomed');
    await expect(
      awsError(sdk.ecs.send(new DeleteServiceCommand({ cluster: 'sandbox', service: 'doomed' }))),
    ).resolves.toEqual({
      name: 'InvalidParameterException',
      message: 'The service cannot be stopped while it is scaled above 0.',
    });
    const { services = [] } = await sdk.ecs.send(
      new DescribeServicesCommand({ cluster: 'sandbox', services: ['doomed'] }),
    );
    expect(services[0]).toMatchObject({ status: 'ACTIVE', desiredCount: 2, runningCount: 2 });
  });

  it('with force, drains the service: DRAINING, its tasks stop, then INACTIVE; no longer listed', async () => {
    const { service } = await sdk.ecs.send(
      new DeleteServiceCommand({ cluster: 'sandbox', service: 'doomed', force: true }),
    );
    expect(service).toMatchObject({
      serviceArn: `${ARN}:service/sandbox/doomed`,
      status: 'DRAINING',
      desiredCount: 0,
    });
    const { serviceArns = [] } = await sdk.ecs.send(new ListServicesCommand({ cluster: 'sandbox' }));
    expect(serviceArns).toEqual([`${ARN}:service/sandbox/web`]);

    const deadline = Date.now() + 15_000;
    let status = 'DRAINING';
    while (status !== 'INACTIVE' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { services = [] } = await sdk.ecs.send(
        new DescribeServicesCommand({ cluster: 'sandbox', services: ['doomed'] }),
      );
      status = services[0]?.status ?? 'MISSING';
    }
    expect(status).toBe('INACTIVE');
    expect(await runningArns({ serviceName: 'doomed' })).toEqual([]);
    const stopped = await sdk.ecs.send(
      new ListTasksCommand({ cluster: 'sandbox', serviceName: 'doomed', desiredStatus: 'STOPPED' }),
    );
    expect(stopped.taskArns).toHaveLength(2);
    // The demo service is untouched.
    expect(await runningArns({ serviceName: 'web' })).toHaveLength(2);
  });

  it('answers a deleted service, an unknown one and an unknown cluster with the AWS errors', async () => {
    const send = (cluster: string, service: string) =>
      awsError(sdk.ecs.send(new DeleteServiceCommand({ cluster, service, force: true })));
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
    await sdk.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'idle',
        containerDefinitions: [{ name: 'idle', image: 'demo/web:v1', memory: 128 }],
      }),
    );
    await sdk.ecs.send(
      new CreateServiceCommand({ cluster: 'sandbox', serviceName: 'idle', taskDefinition: 'idle', desiredCount: 0 }),
    );
    const { service } = await sdk.ecs.send(new DeleteServiceCommand({ cluster: 'sandbox', service: 'idle' }));
    expect(service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
  });
});
