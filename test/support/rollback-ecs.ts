import {
  type DescribeServiceDeploymentsResponse,
  ECSClient,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import type { DeployResult, ReleaseRequest } from '../../src/release/release.ts';
import { rollBack } from '../../src/release/rollback.ts';
import { awsFixture } from './aws-fixture.ts';
import { ACCOUNT_PREFIX, DEPLOYMENT_ARN, WEB_41 } from './ecs-release.ts';

// Rolling a release of web back against a mocked ECS (test/fixtures/ecs/), at 10:18.

/** The service deployment an update back to web:41 starts. */
export const ROLLBACK_DEPLOYMENT_ARN = `${ACCOUNT_PREFIX}:service-deployment/sandbox/web/Qm9sbGJhY2tEZXBsb3lt`;

/** rollBack of the release deploy started, through the ECS adapter over a fresh (mocked) client. */
export const rollbackOf = (request: ReleaseRequest, deployment: DeployResult) =>
  rollBack(request, deployment, {
    ecs: createEcsAdapter(new ECSClient({ region: 'us-east-1' })),
    now: () => new Date('2026-11-21T10:18:00.000Z'),
  });

/** ECS stops a deployment when asked, and an update back to web:41 starts ROLLBACK_DEPLOYMENT_ARN. */
export function answerRollback(ecsMock: AwsClientStub<ECSClient>): void {
  ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN });
  const updated = awsFixture<UpdateServiceResponse>('ecs/update-service.json');
  ecsMock.on(UpdateServiceCommand).resolves({
    service: { ...updated.service, taskDefinition: WEB_41, currentServiceDeployment: ROLLBACK_DEPLOYMENT_ARN },
  });
}

/** The deployment a DescribeServiceDeployments fixture (e.g. `ecs/describe-service-deployments-paused.json`) describes, in `status`. */
export function deploymentIn(fixture: string, status: ServiceDeploymentStatus): DescribeServiceDeploymentsResponse {
  const described = awsFixture<DescribeServiceDeploymentsResponse>(fixture);
  return { ...described, serviceDeployments: described.serviceDeployments?.map((d) => ({ ...d, status })) };
}
