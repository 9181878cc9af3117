import { beforeAll, expect, it } from '@jest/globals';
import { awsCli, awsJson, describeServiceWithCli, describeWithAwsCli } from './support/aws-cli.ts';
import { useReleaseSandbox } from './support/e2e.ts';

// What a platform engineer (or the ECS deploy GitHub Action) gets from the
// sandbox through the AWS CLI v2 for the ECS operations beyond releases:
// a one-off task (run-task), tags (list-tags-for-resource), task definition
// families, and deleting a service, each in AWS's answer shape and errors.

interface CliTask {
  taskArn: string;
  group: string;
  startedBy: string;
  lastStatus: string;
  desiredStatus: string;
  launchType: string;
  tags: { key: string; value: string }[];
  overrides: { containerOverrides: { name: string; command?: string[]; environment?: unknown[] }[] };
  containers: { name: string; lastStatus: string }[];
}

interface CliService {
  serviceArn: string;
  status: string;
  desiredCount: number;
  runningCount: number;
}

const ARN = 'arn:aws:ecs:us-east-1:000000000000';

const rs = useReleaseSandbox();
let endpoint: string;
beforeAll(() => {
  endpoint = rs.sandbox.endpoint;
});

// `aws ecs run-task` of the demo task definition on the sandbox cluster, with the test's own arguments.
const runWebTask = (...args: string[]) => [
  'ecs',
  'run-task',
  '--cluster',
  'sandbox',
  '--task-definition',
  'web',
  ...args,
];

/** The AWS CLI's error line for a failed call. */
async function cliError(args: string[]): Promise<{ code: number; stderr: string }> {
  const result = await awsCli(endpoint, args);
  return { code: result.code, stderr: result.stderr.trim() };
}

describeWithAwsCli('aws ecs list-task-definition-families', () => {
  it('lists families by prefix and status, paging through nextToken', async () => {
    await awsJson(endpoint, [
      'ecs',
      'register-task-definition',
      '--family',
      'migrate',
      '--container-definitions',
      JSON.stringify([{ name: 'migrate', image: 'demo/web:v1', memory: 128 }]),
      '--tags',
      'key=kind,value=job',
    ]);
    expect(await awsJson(endpoint, ['ecs', 'list-task-definition-families', '--family-prefix', 'we'])).toEqual({
      families: ['web'],
    });
    // --page-size 1 makes the CLI fetch one family per call and follow nextToken.
    expect(
      await awsJson(endpoint, ['ecs', 'list-task-definition-families', '--status', 'ACTIVE', '--page-size', '1']),
    ).toEqual({ families: ['migrate', 'web'] });
    expect(await cliError(['ecs', 'list-task-definition-families', '--status', 'GONE'])).toEqual({
      code: 254,
      stderr:
        'An error occurred (InvalidParameterException) when calling the ListTaskDefinitionFamilies operation: status must be one of ACTIVE, INACTIVE, ALL.',
    });
  });
});

describeWithAwsCli('aws ecs run-task and list-tags-for-resource', () => {
  let task: CliTask;

  it('runs a one-off task of the demo task definition with overrides, tags and startedBy', async () => {
    const answer = await awsJson<{ tasks: CliTask[]; failures: unknown[] }>(
      endpoint,
      runWebTask(
        '--count',
        '1',
        '--launch-type',
        'FARGATE',
        '--network-configuration',
        'awsvpcConfiguration={subnets=[subnet-1]}',
        '--started-by',
        'migration',
        '--tags',
        'key=job,value=migrate',
        '--overrides',
        JSON.stringify({
          containerOverrides: [
            { name: 'web', command: ['npm', 'run', 'migrate'], environment: [{ name: 'MIGRATE_TO', value: '42' }] },
          ],
        }),
      ),
    );
    expect(answer.failures).toEqual([]);
    expect(answer.tasks).toHaveLength(1);
    task = answer.tasks[0] as CliTask;
    expect(task).toMatchObject({
      group: 'family:web',
      startedBy: 'migration',
      launchType: 'FARGATE',
      desiredStatus: 'RUNNING',
      tags: [{ key: 'job', value: 'migrate' }],
      overrides: {
        containerOverrides: [
          { name: 'web', command: ['npm', 'run', 'migrate'], environment: [{ name: 'MIGRATE_TO', value: '42' }] },
        ],
      },
      containers: [expect.objectContaining({ name: 'web' })],
    });
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\/sandbox\/[0-9a-f]{32}$/);
    const listed = await awsJson<{ taskArns: string[] }>(endpoint, [
      'ecs',
      'list-tasks',
      '--cluster',
      'sandbox',
      '--started-by',
      'migration',
    ]);
    expect(listed.taskArns).toEqual([task.taskArn]);
  });

  it('refuses more than 10 tasks with the AWS error', async () => {
    const refused = await cliError(
      runWebTask('--count', '11', '--network-configuration', 'awsvpcConfiguration={subnets=[subnet-1]}'),
    );
    expect(refused).toEqual({
      code: 254,
      stderr:
        'An error occurred (InvalidParameterException) when calling the RunTask operation: count must be an integer from 1 to 10.',
    });
  });

  it('lists the tags of the task, its task definition family and the cluster', async () => {
    const tags = (arn: string) =>
      awsJson<{ tags: unknown[] }>(endpoint, ['ecs', 'list-tags-for-resource', '--resource-arn', arn]);
    expect(await tags(task.taskArn)).toEqual({ tags: [{ key: 'job', value: 'migrate' }] });
    expect(await tags(`${ARN}:task-definition/migrate:1`)).toEqual({ tags: [{ key: 'kind', value: 'job' }] });
    expect(await tags(`${ARN}:cluster/sandbox`)).toEqual({ tags: [] });
  });

  it('answers a malformed and an unknown ARN with the AWS errors', async () => {
    expect(await cliError(['ecs', 'list-tags-for-resource', '--resource-arn', 'web'])).toEqual({
      code: 254,
      stderr:
        'An error occurred (InvalidParameterException) when calling the ListTagsForResource operation: The ARN provided is invalid.',
    });
    expect(await cliError(['ecs', 'list-tags-for-resource', '--resource-arn', `${ARN}:service/sandbox/nope`])).toEqual({
      code: 254,
      stderr:
        'An error occurred (ServiceNotFoundException) when calling the ListTagsForResource operation: Service not found.',
    });
  });
});

describeWithAwsCli('aws ecs delete-service', () => {
  it('refuses a service scaled above 0 without --force', async () => {
    expect(await cliError(['ecs', 'delete-service', '--cluster', 'sandbox', '--service', 'web'])).toEqual({
      code: 254,
      stderr:
        'An error occurred (InvalidParameterException) when calling the DeleteService operation: The service cannot be stopped while it is scaled above 0.',
    });
  });

  it('with --force, answers the DRAINING service; describe-services then shows it INACTIVE', async () => {
    const { service } = await awsJson<{ service: CliService }>(endpoint, [
      'ecs',
      'delete-service',
      '--cluster',
      'sandbox',
      '--service',
      'web',
      '--force',
    ]);
    expect(service).toMatchObject({ serviceArn: `${ARN}:service/sandbox/web`, status: 'DRAINING', desiredCount: 0 });
    expect(await awsJson(endpoint, ['ecs', 'list-services', '--cluster', 'sandbox'])).toEqual({ serviceArns: [] });

    const deadline = Date.now() + 15_000;
    let described: CliService | undefined;
    do {
      const answer = await describeServiceWithCli<CliService>(endpoint);
      described = answer.services[0];
    } while (described?.status !== 'INACTIVE' && Date.now() < deadline);
    expect(described).toMatchObject({ status: 'INACTIVE', desiredCount: 0 });
  });

  it('answers an unknown service with ServiceNotFoundException', async () => {
    expect(await cliError(['ecs', 'delete-service', '--cluster', 'sandbox', '--service', 'nope'])).toEqual({
      code: 254,
      stderr:
        'An error occurred (ServiceNotFoundException) when calling the DeleteService operation: Service not found.',
    });
  });
});
