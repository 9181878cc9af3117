import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createEcsAdapter } from '../../../src/release/adapters/ecs.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import { DEPLOYMENT_ARN, WEB_41 } from '../../support/ecs-release.ts';

const ecsMock = mockClient(ECSClient);
const ecs = createEcsAdapter(new ECSClient({ region: 'us-east-1' }));

afterEach(() => {
  ecsMock.reset();
});

describe('the ECS adapter', () => {
  it('reads a service: its status, revision, current deployment and events', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services.json'));
    const service = await ecs.describeService('sandbox', 'web');
    expect(service).toMatchObject({
      arn: 'arn:aws:ecs:us-east-1:123456789012:service/sandbox/web',
      status: 'ACTIVE',
      taskDefinitionArn: WEB_41,
      currentServiceDeploymentArn:
        'arn:aws:ecs:us-east-1:123456789012:service-deployment/sandbox/web/r0b1Xv3cKSxc3xTNpjvu',
    });
    expect(service?.events[0]).toEqual({
      at: new Date('2026-11-21T10:05:00.000Z'),
      message: '(service web) has reached a steady state.',
    });
  });

  it('reads a service ECS lists as MISSING, or one in a missing cluster, as no service', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services-missing.json'));
    await expect(ecs.describeService('sandbox', 'web')).resolves.toBeUndefined();
    ecsMock.on(DescribeServicesCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    await expect(ecs.describeService('gone', 'web')).resolves.toBeUndefined();
  });

  it('lists stopped tasks newest first, with their reasons', async () => {
    ecsMock.on(ListTasksCommand).resolves(awsFixture('ecs/list-tasks-stopped.json'));
    ecsMock.on(DescribeTasksCommand).resolves(awsFixture('ecs/describe-tasks-stopped.json'));
    const tasks = await ecs.stoppedTasks('sandbox', 'web');
    expect(tasks.map((task) => task.stopCode)).toEqual([
      'EssentialContainerExited',
      'TaskFailedToStart',
      'ServiceSchedulerInitiated',
    ]);
    expect(tasks[0]?.containers[0]).toEqual({
      name: 'web',
      exitCode: 1,
      reason: 'Error: listen EADDRINUSE: address already in use :::8080',
    });
  });

  it('does not describe tasks when none stopped', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    await expect(ecs.stoppedTasks('sandbox', 'web')).resolves.toEqual([]);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });

  it('lists every running task of a service with its creation time, page after page', async () => {
    const arns = Array.from({ length: 120 }, (_, i) => `arn:aws:ecs:us-east-1:123456789012:task/sandbox/t${i}`);
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'RUNNING', nextToken: undefined })
      .resolves({ taskArns: arns.slice(0, 100), nextToken: 'page-2' })
      .on(ListTasksCommand, { desiredStatus: 'RUNNING', nextToken: 'page-2' })
      .resolves({ taskArns: arns.slice(100) });
    ecsMock.on(DescribeTasksCommand).callsFake(async ({ tasks }: { tasks: string[] }) => ({
      tasks: tasks.map((taskArn) => ({ taskArn, createdAt: new Date('2026-11-21T10:00:00.000Z') })),
    }));
    const tasks = await ecs.runningTasks('sandbox', 'web');
    expect(tasks.map((task) => task.taskArn)).toEqual(arns);
    expect(tasks[119]?.createdAt).toEqual(new Date('2026-11-21T10:00:00.000Z'));
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(2);
  });

  it('reads a missing service as running no task', async () => {
    ecsMock.on(ListTasksCommand).rejects(awsError('ServiceNotFoundException', 'Service not found.'));
    await expect(ecs.runningTasks('sandbox', 'ghost')).resolves.toEqual([]);
  });

  it("reads a native deployment's lifecycle stage and hooks", async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(awsFixture('ecs/describe-service-deployments-paused.json'));
    const deployment = await ecs.describeServiceDeployment(DEPLOYMENT_ARN);
    expect(deployment).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' });
    expect(deployment?.lifecycleHooks[1]).toEqual({
      hookId: 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b',
      targetType: 'PAUSE',
      status: 'AWAITING_ACTION',
      expiresAt: new Date(1795342771_000),
      timeoutAction: 'ROLLBACK',
    });
  });

  it('reads no hooks for a rolling deployment', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves(awsFixture('ecs/describe-service-deployments-in-progress.json'));
    await expect(ecs.describeServiceDeployment(DEPLOYMENT_ARN)).resolves.toMatchObject({ lifecycleHooks: [] });
  });

  it('answers a paused hook with ContinueServiceDeployment', async () => {
    ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN });
    await ecs.continueServiceDeployment(DEPLOYMENT_ARN, 'hook-1', 'ROLLBACK');
    await ecs.continueServiceDeployment(DEPLOYMENT_ARN, 'hook-2', 'CONTINUE');
    expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand).map((call) => call.args[0].input)).toEqual([
      { serviceDeploymentArn: DEPLOYMENT_ARN, hookId: 'hook-1', action: 'ROLLBACK' },
      { serviceDeploymentArn: DEPLOYMENT_ARN, hookId: 'hook-2', action: 'CONTINUE' },
    ]);
  });

  it('passes on a throttled ContinueServiceDeployment as retryable', async () => {
    ecsMock.on(ContinueServiceDeploymentCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(ecs.continueServiceDeployment(DEPLOYMENT_ARN, 'hook-1', 'CONTINUE')).rejects.toMatchObject({
      name: 'TransientError',
    });
  });

  it("reads a service's deployment controller and configuration", async () => {
    ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services.json'));
    await expect(ecs.describeService('sandbox', 'web')).resolves.toMatchObject({
      deploymentConfiguration: { strategy: 'ROLLING', maximumPercent: 200 },
    });
  });
});
