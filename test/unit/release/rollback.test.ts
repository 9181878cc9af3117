import {
  DescribeServiceDeploymentsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { RollbackFailedError, TransientError } from '../../../src/platform/errors.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import { DEPLOYMENT_ARN, WEB_41, webDeployment, webRelease } from '../../support/ecs-release.ts';
import {
  answerRollback,
  deploymentIn as describedIn,
  ROLLBACK_DEPLOYMENT_ARN,
  rollbackOf,
} from '../../support/rollback-ecs.ts';

const ecsMock = mockClient(ECSClient);
const rollback = () => rollbackOf(webRelease(), webDeployment());
const deploymentIn = (status: ServiceDeploymentStatus) =>
  describedIn('ecs/describe-service-deployments-in-progress.json', status);

beforeEach(() => answerRollback(ecsMock));

afterEach(() => {
  ecsMock.reset();
});

describe('rollBack', () => {
  it.each<ServiceDeploymentStatus>(['PENDING', 'IN_PROGRESS'])(
    'stops a deployment still %s and has ECS roll it back',
    async (status) => {
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(deploymentIn(status));

      await expect(rollback()).resolves.toEqual({
        method: 'stop',
        serviceDeploymentArn: DEPLOYMENT_ARN,
        taskDefinitionArn: WEB_41,
        deadline: '2026-11-21T10:28:00.000Z',
      });
      expect(ecsMock.commandCalls(StopServiceDeploymentCommand).map((call) => call.args[0].input)).toEqual([
        { serviceDeploymentArn: DEPLOYMENT_ARN, stopType: 'ROLLBACK' },
      ]);
      expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    },
  );

  it.each<ServiceDeploymentStatus>(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'])(
    'leaves a deployment in %s to the circuit breaker and waits for it',
    async (status) => {
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(deploymentIn(status));

      await expect(rollback()).resolves.toEqual({
        method: 'none',
        serviceDeploymentArn: DEPLOYMENT_ARN,
        taskDefinitionArn: WEB_41,
        deadline: '2026-11-21T10:28:00.000Z',
      });
      expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
      expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    },
  );

  it.each<ServiceDeploymentStatus>(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_FAILED'])(
    'updates the service back to the previous revision once the deployment is %s',
    async (status) => {
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(deploymentIn(status));

      await expect(rollback()).resolves.toEqual({
        method: 'update',
        serviceDeploymentArn: ROLLBACK_DEPLOYMENT_ARN,
        taskDefinitionArn: WEB_41,
        deadline: '2026-11-21T10:28:00.000Z',
      });
      expect(ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input)).toEqual([
        { cluster: 'sandbox', service: 'web', taskDefinition: WEB_41 },
      ]);
      expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    },
  );

  it('updates the service back when ECS no longer knows the deployment', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(awsFixture('ecs/describe-service-deployments-missing.json'));
    ecsMock.on(UpdateServiceCommand).resolves({ service: { serviceName: 'web', taskDefinition: WEB_41 } });
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: DEPLOYMENT_ARN, createdAt: new Date('2026-11-21T10:15:31Z'), status: 'STOPPED' },
        {
          serviceDeploymentArn: ROLLBACK_DEPLOYMENT_ARN,
          createdAt: new Date('2026-11-21T10:18:00Z'),
          status: 'PENDING',
        },
      ],
    });

    await expect(rollback()).resolves.toMatchObject({
      method: 'update',
      serviceDeploymentArn: ROLLBACK_DEPLOYMENT_ARN,
    });
  });

  it('updates the service back when the deployment finished just before the stop reached ECS', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce(deploymentIn('IN_PROGRESS'))
      .resolves(deploymentIn('SUCCESSFUL'));
    ecsMock
      .on(StopServiceDeploymentCommand)
      .rejects(awsError('InvalidParameterException', 'The service deployment cannot be stopped.'));

    await expect(rollback()).resolves.toMatchObject({
      method: 'update',
      serviceDeploymentArn: ROLLBACK_DEPLOYMENT_ARN,
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input.taskDefinition)).toEqual([
      WEB_41,
    ]);
  });

  it('fails with RollbackFailedError when ECS refuses to stop the deployment', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(deploymentIn('IN_PROGRESS'));
    ecsMock
      .on(StopServiceDeploymentCommand)
      .rejects(awsError('InvalidParameterException', 'The service deployment cannot be stopped.'));

    const failure = rollback();

    await expect(failure).rejects.toThrow(RollbackFailedError);
    await expect(failure).rejects.toThrow(
      'rolling web/staging (service web) back to web:41 failed: InvalidParameterException: The service deployment cannot be stopped.',
    );
  });

  it('fails with RollbackFailedError when ECS reports no service deployment for the update back', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(deploymentIn('SUCCESSFUL'));
    ecsMock.on(UpdateServiceCommand).resolves({ service: { serviceName: 'web', taskDefinition: WEB_41 } });
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });

    const failure = rollback();

    await expect(failure).rejects.toThrow(RollbackFailedError);
    await expect(failure).rejects.toThrow(
      'service web was pointed back at web:41 but ECS reports no service deployment for it',
    );
  });

  it('fails with RollbackFailedError when the update back is refused', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(deploymentIn('SUCCESSFUL'));
    ecsMock.on(UpdateServiceCommand).rejects(awsError('ServiceNotActiveException', 'Service was not ACTIVE.'));
    await expect(rollback()).rejects.toThrow(RollbackFailedError);
  });

  it('fails with TransientError when ECS is unavailable, so the state machine retries', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .rejects(awsError('ServerException', 'Service unavailable. Please try again later.', 500));
    await expect(rollback()).rejects.toThrow(TransientError);
  });
});
