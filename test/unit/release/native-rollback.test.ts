import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  type DescribeServiceDeploymentsResponse,
  DescribeServicesCommand,
  ECSClient,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { RollbackFailedError } from '../../../src/platform/errors.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import { canaryRelease, DEPLOYMENT_ARN, WEB_41, webDeployment } from '../../support/ecs-release.ts';
import { answerRollback, deploymentIn, ROLLBACK_DEPLOYMENT_ARN, rollbackOf } from '../../support/rollback-ecs.ts';

// A native deployment runs both revisions until it ends: its rollback switches
// traffic back (answering a paused hook, or stopping with ROLLBACK) and never
// redeploys the previous revision while both may run.

const ecsMock = mockClient(ECSClient);
const rollback = () => rollbackOf(canaryRelease(), { ...webDeployment(), strategy: 'canary' });

const paused = () => awsFixture<DescribeServiceDeploymentsResponse>('ecs/describe-service-deployments-paused.json');
const pausedIn = (status: ServiceDeploymentStatus) =>
  deploymentIn('ecs/describe-service-deployments-paused.json', status);
const baking = (): DescribeServiceDeploymentsResponse => ({
  ...paused(),
  serviceDeployments: paused().serviceDeployments?.map((d) => ({
    ...d,
    lifecycleStage: 'BAKE_TIME',
    lifecycleHookDetails: d.lifecycleHookDetails?.map((hook) => ({ ...hook, status: 'SUCCEEDED' })),
  })),
});

beforeEach(() => {
  answerRollback(ecsMock);
  ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN });
  ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services.json'));
});

afterEach(() => {
  ecsMock.reset();
});

describe('rollBack of a native deployment', () => {
  it('answers the hook a paused deployment waits at with ROLLBACK', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(paused());

    await expect(rollback()).resolves.toMatchObject({ method: 'hook', serviceDeploymentArn: DEPLOYMENT_ARN });
    expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand).map((call) => call.args[0].input)).toEqual([
      { serviceDeploymentArn: DEPLOYMENT_ARN, hookId: 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b', action: 'ROLLBACK' },
    ]);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('stops a deployment that is baking (no hook waiting) with ROLLBACK', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(baking());

    await expect(rollback()).resolves.toMatchObject({ method: 'stop', serviceDeploymentArn: DEPLOYMENT_ARN });
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand).map((call) => call.args[0].input)).toEqual([
      { serviceDeploymentArn: DEPLOYMENT_ARN, stopType: 'ROLLBACK' },
    ]);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it.each<ServiceDeploymentStatus>(['STOP_REQUESTED', 'ROLLBACK_FAILED'])(
    'refuses to redeploy while a deployment %s may still run both revisions',
    async (status) => {
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(pausedIn(status));

      await expect(rollback()).rejects.toThrow(RollbackFailedError);
      await expect(rollback()).rejects.toThrow(`it is ${status}, so both revisions may still run`);
      expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    },
  );

  it('refuses to redeploy when ECS does not know the deployment', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(awsFixture('ecs/describe-service-deployments-missing.json'));

    await expect(rollback()).rejects.toThrow('ECS does not know it');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('redeploys the previous revision once the deployment has ended, with no PAUSE hooks to wait at', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(pausedIn('SUCCESSFUL'));

    await expect(rollback()).resolves.toMatchObject({
      method: 'update',
      serviceDeploymentArn: ROLLBACK_DEPLOYMENT_ARN,
      taskDefinitionArn: WEB_41,
    });
    const [update] = ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input);
    expect(update).toMatchObject({
      taskDefinition: WEB_41,
      deploymentConfiguration: { strategy: 'CANARY', lifecycleHooks: [] },
    });
  });
});
