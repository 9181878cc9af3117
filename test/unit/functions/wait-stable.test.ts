import { DescribeServiceDeploymentsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../../../functions/wait-stable/handler.ts';
import { InvalidInputError } from '../../../src/platform/errors.ts';
import type { StabilityQuery, StabilityResult } from '../../../src/release/rollout-state.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import { DEPLOYMENT_ARN, WEB_42 } from '../../support/ecs-release.ts';
import { fakeLambdaContext, useFunctionEnvironment, wiredHandler } from '../../support/fake-lambda-context.ts';

useFunctionEnvironment();
const ecsMock = mockClient(ECSClient);

const handler = wiredHandler<StabilityResult>(wire);

afterEach(() => {
  ecsMock.reset();
});

// As CheckStability's Parameters build it from the request and the deploy result.
const query: StabilityQuery = {
  cluster: 'sandbox',
  ecsService: 'web',
  serviceDeploymentArn: DEPLOYMENT_ARN,
  taskDefinitionArn: WEB_42,
  deadline: new Date(Date.now() + 600_000).toISOString(),
  mode: 'deploy',
};

describe('wait-stable handler', () => {
  it('reports a deployment still rolling out as IN_PROGRESS', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves(awsFixture('ecs/describe-service-deployments-in-progress.json'));
    await expect(handler(query, fakeLambdaContext('waitStable'))).resolves.toMatchObject({
      status: 'IN_PROGRESS',
      deploymentStatus: 'IN_PROGRESS',
    });
  });

  it('rejects a query without a mode or with a malformed deadline, asking ECS nothing', async () => {
    const { mode: _mode, ...withoutMode } = query;
    await expect(handler(withoutMode, fakeLambdaContext('waitStable'))).rejects.toThrow(InvalidInputError);
    await expect(handler({ ...query, deadline: 'soon' }, fakeLambdaContext('waitStable'))).rejects.toThrow(
      InvalidInputError,
    );
    expect(ecsMock.calls()).toHaveLength(0);
  });
});
