import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
} from '@aws-sdk/client-ecr';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { wire as wireAdvance } from '../../../functions/advance/handler.ts';
import { wire as wireCanaryCheck } from '../../../functions/canary-check/handler.ts';
import { wire as wireDeploy } from '../../../functions/deploy/handler.ts';
import { wire as wirePlan } from '../../../functions/plan/handler.ts';
import { wire as wireRollback } from '../../../functions/rollback/handler.ts';
import { wire as wireWaitStable } from '../../../functions/wait-stable/handler.ts';
import { DEFAULT_ANALYSIS } from '../../../src/canary/policy.ts';
import { wiredWaitPorts } from '../../../src/release/wiring.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import { DEPLOYMENT_ARN, WEB_42, webDeployment, webRelease } from '../../support/ecs-release.ts';
import { FUNCTION_HOME, fakeLambdaContext, useFunctionEnvironment } from '../../support/fake-lambda-context.ts';

// Issue 20: every step that calls AWS for a target does so in the target's
// account and region, as the target's role, in a session named for the
// release (CloudTrail there names it). Each step is wired as in Lambda, over
// mocked SDK clients: the client each call went through says where it went.

useFunctionEnvironment();
const sts = mockClient(STSClient);
const ecs = mockClient(ECSClient);
const ecr = mockClient(ECRClient);
const cloudwatch = mockClient(CloudWatchClient);
const dynamo = mockClient(DynamoDBClient);

const ROLE = 'arn:aws:iam::222222222222:role/release-automation-deploy';
const ACCESS = { account: '222222222222', region: 'us-west-2', roleArn: ROLE, externalId: 'release-automation' };
const SESSION = {
  AccessKeyId: 'ASIAPRODUCTIONSESSION',
  SecretAccessKey: 'production-session-secret',
  SessionToken: 'production-session-token',
};

/** web/production's release: the story's release, in the production account and region. */
const production = () => ({
  ...webRelease(),
  releaseId: 'web-production-7f5b2640',
  target: { ...webRelease().target, environment: 'production', access: ACCESS },
});

/** A look at web-production's deployment, as the release's stability queries ask it. */
const productionLook = () => ({
  cluster: 'sandbox',
  ecsService: 'web',
  serviceDeploymentArn: DEPLOYMENT_ARN,
  taskDefinitionArn: WEB_42,
  deadline: new Date(Date.now() + 600_000).toISOString(),
  mode: 'deploy',
  access: ACCESS,
});

/** Where a mocked call went: its client's region and credentials. */
async function reached(mock: AwsClientStub<ECSClient> | AwsClientStub<CloudWatchClient>, index = 0) {
  const client = mock.calls()[index]?.thisValue as ECSClient | undefined;
  if (client === undefined) throw new Error('no call was made');
  const { accessKeyId, sessionToken } = await client.config.credentials();
  return { region: await client.config.region(), accessKeyId, sessionToken };
}
const AS_PRODUCTION = {
  region: 'us-west-2',
  accessKeyId: SESSION.AccessKeyId,
  sessionToken: SESSION.SessionToken,
};

/** The AssumeRole calls, as STS was asked. */
const assumed = () => sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);

const wiring = (env: Record<string, string> = {}) => ({
  env: { ...FUNCTION_HOME, IDEMPOTENCY_TABLE: 'idempotency', ...env },
  aws: { region: 'us-east-1' },
});

beforeEach(() => {
  sts.on(AssumeRoleCommand).resolves({ Credentials: { ...SESSION, Expiration: new Date(Date.now() + 3_600_000) } });
  ecs.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services.json'));
  ecs.on(DescribeTaskDefinitionCommand).resolves(awsFixture('ecs/describe-task-definition.json'));
  ecs.on(ListTaskDefinitionsCommand).resolves(awsFixture('ecs/list-task-definitions.json'));
  ecs.on(RegisterTaskDefinitionCommand).resolves(awsFixture('ecs/register-task-definition.json'));
  ecs.on(UpdateServiceCommand).resolves(awsFixture('ecs/update-service.json'));
  ecs.on(DescribeServiceDeploymentsCommand).resolves(awsFixture('ecs/describe-service-deployments-in-progress.json'));
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
});

afterEach(() => {
  for (const mock of [sts, ecs, ecr, cloudwatch, dynamo]) mock.reset();
});

describe('steps act in the target account and region, as its role, named for the release', () => {
  it('deploy registers and updates there', async () => {
    const handler = wireDeploy(wiring());
    await handler({ request: production() }, fakeLambdaContext('deploy', 60));

    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    for (let index = 0; index < ecs.calls().length; index++) expect(await reached(ecs, index)).toEqual(AS_PRODUCTION);
    expect(assumed()).toEqual([
      {
        RoleArn: ROLE,
        RoleSessionName: 'web-production-7f5b2640',
        ExternalId: 'release-automation',
        DurationSeconds: 3600,
      },
    ]);
  });

  it('rollback stops the deployment there', async () => {
    ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN });
    const handler = wireRollback(wiring());
    const error = { Error: 'SmokeTestFailedError', Cause: 'home answered 503' };
    await handler({ request: production(), deployment: webDeployment(), error }, fakeLambdaContext('rollback'));

    expect(ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(1);
    expect(await reached(ecs, ecs.calls().length - 1)).toEqual(AS_PRODUCTION);
    expect(assumed().map((input) => input.RoleSessionName)).toEqual(['web-production-7f5b2640']);
  });

  it('waitStable looks there, as the release the query names', async () => {
    const handler = wireWaitStable(wiring());
    const query = { ...productionLook(), releaseId: 'web-production-7f5b2640' };
    await expect(handler(query, fakeLambdaContext('waitStable'))).resolves.toMatchObject({ status: 'IN_PROGRESS' });
    expect(await reached(ecs)).toEqual(AS_PRODUCTION);
    expect(assumed().map((input) => input.RoleSessionName)).toEqual(['web-production-7f5b2640']);
  });

  it('advance continues the paused hook there', async () => {
    ecs.on(ContinueServiceDeploymentCommand).resolves({});
    const handler = wireAdvance(wiring());
    const request = {
      serviceDeploymentArn: DEPLOYMENT_ARN,
      hookId: 'hook-1',
      access: ACCESS,
      releaseId: 'web-production-7f5b2640',
    };
    await handler(request, fakeLambdaContext('advance'));
    expect(ecs.commandCalls(ContinueServiceDeploymentCommand)).toHaveLength(1);
    expect(await reached(ecs)).toEqual(AS_PRODUCTION);
  });

  it('canaryCheck reads the load balancer’s metrics there', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const handler = wireCanaryCheck(wiring());
    await handler(
      {
        loadBalancer: 'app/web/0123456789abcdef',
        canaryTargetGroup: 'targetgroup/web-green/fedcba9876543210',
        baselineTargetGroup: 'targetgroup/web-blue/0123456789abcdef',
        window: { seconds: 300 },
        policy: DEFAULT_ANALYSIS,
        access: ACCESS,
        releaseId: 'web-production-7f5b2640',
      },
      fakeLambdaContext('canaryCheck'),
    );
    expect(cloudwatch.calls().length).toBeGreaterThan(0);
    expect(await reached(cloudwatch)).toEqual(AS_PRODUCTION);
  });

  it('the deployment waits look there, as the waiting release', async () => {
    const ports = wiredWaitPorts(wiring({ DEPLOYMENT_WAITS_TABLE: 'waits' }));
    const port = ports.ecsFor(ACCESS, 'web-production-7f5b2640');
    await port.describeServiceDeployment(DEPLOYMENT_ARN);
    expect(await reached(ecs)).toEqual(AS_PRODUCTION);
    // The automation's own account: its own credentials, no role assumed.
    await ports.ecsFor(undefined, 'web-staging-1').describeServiceDeployment(DEPLOYMENT_ARN);
    expect((await reached(ecs, 1)).region).toBe('us-east-1');
    expect(assumed()).toHaveLength(1);
  });

  it('assumes a role once per release while its session lasts', async () => {
    const handler = wireWaitStable(wiring());
    const query = productionLook();
    for (const releaseId of ['release-a', 'release-a', 'release-b']) {
      await handler({ ...query, releaseId }, fakeLambdaContext('waitStable'));
      // As the SDK does when it signs the call (the mock answers before signing).
      expect(await reached(ecs, ecs.calls().length - 1)).toEqual(AS_PRODUCTION);
    }
    expect(assumed().map((input) => input.RoleSessionName)).toEqual(['release-a', 'release-b']);
  });
});

describe('plan', () => {
  const catalog = (roleArn: string) => ({
    RELEASE_CATALOG_FILE: 'test/fixtures/catalog/production-role.yml',
    PRODUCTION_ROLE_ARN: roleArn,
  });
  const push = {
    version: '0',
    id: 'e7a3f2c1-0000-4000-8000-000000000001',
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': 'demo/web',
      'image-digest': 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd',
      'action-type': 'PUSH',
      'image-tag': 'v2',
    },
  };
  beforeEach(() => {
    ecr.on(DescribeRepositoriesCommand).resolves(awsFixture('ecr/describe-repositories.json'));
    ecr.on(DescribeImagesCommand).resolves(awsFixture('ecr/describe-images.json'));
    ecr.on(DescribeImageScanFindingsCommand).resolves(awsFixture('ecr/describe-image-scan-findings.json'));
  });

  it('plans the target with where it lives, read there as the release', async () => {
    const handler = wirePlan(wiring(catalog(ROLE)));
    const result = (await handler(push, fakeLambdaContext('plan'))) as {
      releases: { releaseId: string; target: { access: unknown } }[];
    };
    expect(result.releases).toHaveLength(1);
    const [release] = result.releases;
    expect(release?.target.access).toEqual({ account: '222222222222', region: 'us-west-2', roleArn: ROLE });
    expect(await reached(ecs)).toEqual(AS_PRODUCTION);
    expect(assumed().map((input) => [input.RoleArn, input.RoleSessionName])).toEqual([[ROLE, release?.releaseId]]);
  });

  it('refuses a target whose role cannot be assumed, naming the role and why, touching nothing there', async () => {
    const untrusting = 'arn:aws:iam::222222222222:role/does-not-trust-the-automation';
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${untrusting}`), {
        name: 'AccessDenied',
      }),
    );
    const handler = wirePlan(wiring(catalog(untrusting)));
    const result = (await handler(push, fakeLambdaContext('plan'))) as {
      releases: unknown[];
      refusedTargets: { service: string; environment: string; reason: string }[];
    };
    expect(result.releases).toEqual([]);
    expect(result.refusedTargets).toEqual([
      expect.objectContaining({
        service: 'web',
        environment: 'production',
        reason: expect.stringMatching(
          new RegExp(
            `^222222222222/us-west-2 as does-not-trust-the-automation cannot be reached: cannot assume role ${untrusting}: AccessDenied`,
          ),
        ),
      }),
    ]);
    expect(ecs.calls()).toHaveLength(0);
  });
});
