import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeServiceDeploymentsCommand, ECSClient, StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../../../functions/rollback/handler.ts';
import { InvalidInputError } from '../../../src/platform/errors.ts';
import type { CaughtError } from '../../../src/release/caught-error.ts';
import type { RollbackResult } from '../../../src/release/release.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import { DEPLOYMENT_ARN, WEB_41, webDeployment, webRelease } from '../../support/ecs-release.ts';
import { fakeLambdaContext, useFunctionEnvironment, wiredHandler } from '../../support/fake-lambda-context.ts';

useFunctionEnvironment();
const ecsMock = mockClient(ECSClient);

const handler = wiredHandler<RollbackResult>(wire);

afterEach(() => {
  ecsMock.reset();
  jest.restoreAllMocks();
});

// What Step Functions' Catch puts in $.error when smoke tests fail.
const caught: CaughtError = {
  Error: 'SmokeTestFailedError',
  Cause: JSON.stringify({
    errorType: 'SmokeTestFailedError',
    errorMessage: 'home: GET http://127.0.0.1:8080/ answered 503 after 3 attempts',
    trace: ['SmokeTestFailedError: home: GET http://127.0.0.1:8080/ answered 503 after 3 attempts', '    at ...'],
  }),
};

describe('rollback handler', () => {
  it('rolls a running deployment back and logs why, without the whole input', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves(awsFixture('ecs/describe-service-deployments-in-progress.json'));
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN });
    const warn = jest.spyOn(Logger.prototype, 'warn');

    const result = await handler(
      { request: webRelease(), deployment: webDeployment(), error: caught },
      fakeLambdaContext('rollback'),
    );

    expect(result).toMatchObject({ method: 'stop', serviceDeploymentArn: DEPLOYMENT_ARN, taskDefinitionArn: WEB_41 });
    expect(warn).toHaveBeenCalledWith('rolling back', {
      releaseId: webRelease().releaseId,
      to: WEB_41,
      reason: 'SmokeTestFailedError: home: GET http://127.0.0.1:8080/ answered 503 after 3 attempts',
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('trace');
  });

  it('rejects input without the deployment with InvalidInputError, touching nothing', async () => {
    await expect(handler({ request: webRelease(), error: caught }, fakeLambdaContext('rollback'))).rejects.toThrow(
      InvalidInputError,
    );
    expect(ecsMock.calls()).toHaveLength(0);
  });
});
