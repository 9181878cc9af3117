import {
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsResponse,
  DescribeImagesCommand,
  type DescribeImagesResponse,
  DescribeRepositoriesCommand,
  type DescribeRepositoriesResponse,
  ECRClient,
} from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { createEcrRegistry } from '../../src/release/adapters/ecr.ts';
import { createEcrScanFindings } from '../../src/release/adapters/ecr-scan-findings.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { awsFixture } from './aws-fixture.ts';

// What planning a release (by ECR push or by GitHub release) reads from AWS,
// answered by aws-sdk-client-mock from the API reference responses under test/fixtures/.

/** A catalog environment of web on the sandbox cluster, with the given fields changed. */
export const catalogEnvironment = (overrides: Record<string, unknown>) => ({
  cluster: 'sandbox',
  service: 'web',
  container: 'web',
  repository: 'demo/web',
  slackChannel: '#releases',
  stabilityDeadlineSeconds: 600,
  ...overrides,
});

/** The automation's own account and region in the fixtures (events/aws.ecr/push.json's, and ECR's answers). */
export const FIXTURE_HOME = { account: '123456789012', region: 'us-east-1' };

/** The planner's ECS, registry and scan-findings ports over fresh clients, which mockClient answers, at the fixtures' home. */
export const mockedPlanPorts = () => ({
  home: FIXTURE_HOME,
  ecs: createEcsAdapter(new ECSClient({ region: 'us-east-1' })),
  registry: createEcrRegistry(new ECRClient({ region: 'us-east-1' })),
  scans: createEcrScanFindings(new ECRClient({ region: 'us-east-1' })),
});

/** ECS and ECR as the fixtures tell it: web runs web:41, demo/web exists, every tag is the fixture's image, scanned (no CRITICAL or HIGH). */
export function answerFromFixtures(ecsMock: AwsClientStub<ECSClient>, ecrMock: AwsClientStub<ECRClient>): void {
  ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services.json'));
  ecsMock.on(DescribeTaskDefinitionCommand).resolves(awsFixture('ecs/describe-task-definition.json'));
  ecrMock
    .on(DescribeRepositoriesCommand)
    .resolves(awsFixture<DescribeRepositoriesResponse>('ecr/describe-repositories.json'));
  ecrMock.on(DescribeImagesCommand).resolves(awsFixture<DescribeImagesResponse>('ecr/describe-images.json'));
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .resolves(awsFixture<DescribeImageScanFindingsResponse>('ecr/describe-image-scan-findings.json'));
}
