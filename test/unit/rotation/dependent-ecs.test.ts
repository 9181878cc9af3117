import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { wire as wireDependents } from '../../../functions/rotate-dependents/handler.ts';
import { wire as wireRollback } from '../../../functions/rotate-rollback/handler.ts';
import type { Wiring } from '../../../src/platform/wiring.ts';
import { fakeLambdaContext, useFunctionEnvironment } from '../../support/fake-lambda-context.ts';

// A rotation's dependents in other accounts (issue 20): every ECS call for one
// goes to its account and region, signed with its deployment role's session,
// named after the rotation; a role that cannot be assumed fails the step by name.

useFunctionEnvironment();
const sts = mockClient(STSClient);
const ecs = mockClient(ECSClient);
afterEach(() => {
  sts.reset();
  ecs.reset();
});

const ROLE = 'arn:aws:iam::222222222222:role/release-automation-deploy';
const ROTATION_ID = 'rotate-api-key-2026-12-06';
const PARAMETER = '/release-automation/test/api-key';
const TASK_DEFINITION = 'arn:aws:ecs:us-west-2:222222222222:task-definition/web:7';
const PRODUCTION = { account: '222222222222', region: 'us-west-2', roleArn: ROLE, externalId: 'release-automation' };
const TARGET = {
  service: 'web',
  environment: 'production',
  cluster: 'sandbox',
  ecsService: 'web-production',
  stabilityDeadlineSeconds: 900,
  access: PRODUCTION,
};
const ROLL = {
  cluster: 'sandbox',
  ecsService: 'web-production',
  serviceDeploymentArn: 'arn:aws:ecs:us-west-2:222222222222:service-deployment/sandbox/web-production/abc',
  taskDefinitionArn: TASK_DEFINITION,
  deadline: '2026-12-06T11:00:00Z',
  mode: 'deploy',
};
// Each test wires its function afresh (a cold start): a warm function keeps its sessions.
const wiring: Wiring = {
  env: {
    AUTOMATION_ACCOUNT: '000000000000',
    AWS_REGION: 'us-east-1',
    RELEASE_CATALOG_FILE: 'test/fixtures/catalog/rotation-accounts.yml',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  },
  aws: { region: 'us-east-1', credentials: { accessKeyId: 'automation', secretAccessKey: 'automation' } },
};
const session = {
  AccessKeyId: 'ASIAROLLEDSESSION',
  SecretAccessKey: 'session-secret',
  SessionToken: 'session-token',
  Expiration: new Date(Date.now() + 3_600_000),
};

/** The region and access key the ECS client of call `index` signs with. */
async function signedAs(index: number) {
  const client = ecs.call(index).thisValue as ECSClient;
  return { region: await client.config.region(), accessKeyId: (await client.config.credentials()).accessKeyId };
}

describe("a rotation's dependents in another account", () => {
  it("are found by reading each in its own account and region, through its role in the rotation's session", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: session });
    ecs.on(DescribeServicesCommand).resolves({ services: [] });
    ecs
      .on(DescribeServicesCommand, { services: ['web-production'] })
      .resolves({ services: [{ serviceName: 'web-production', status: 'ACTIVE', taskDefinition: TASK_DEFINITION }] });
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TASK_DEFINITION,
        family: 'web',
        revision: 7,
        containerDefinitions: [{ name: 'web', secrets: [{ name: 'API_KEY', valueFrom: PARAMETER }] }],
      },
    });
    const handler = wireDependents({ ...wiring }) as (
      event: unknown,
      context: unknown,
    ) => Promise<{ services: unknown[] }>;

    const { services } = await handler(
      { parameter: PARAMETER, rotationId: ROTATION_ID },
      fakeLambdaContext('rotateDependents'),
    );

    // Production's task definition reads the key; staging's service is not found in the automation's account.
    expect(services).toEqual([
      expect.objectContaining({
        service: 'web',
        environment: 'production',
        ecsService: 'web-production',
        access: PRODUCTION,
      }),
    ]);
    const reads = await Promise.all(ecs.calls().map((_, index) => signedAs(index)));
    expect(reads).toEqual([
      { region: 'us-east-1', accessKeyId: 'automation' },
      { region: 'us-west-2', accessKeyId: 'ASIAROLLEDSESSION' },
      { region: 'us-west-2', accessKeyId: 'ASIAROLLEDSESSION' },
    ]);
    // One session for both reads: the client is kept per role, region and rotation.
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ RoleArn: ROLE, RoleSessionName: ROTATION_ID, ExternalId: 'release-automation' }),
    ]);
  });

  it('are rolled back in their account and region', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: session });
    const arn = ROLL.serviceDeploymentArn;
    ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: arn, status: 'IN_PROGRESS' }] });
    ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: arn });
    const handler = wireRollback({ ...wiring }) as (event: unknown, context: unknown) => Promise<{ query?: unknown }>;

    const { query } = await handler(
      { rotationId: ROTATION_ID, target: TARGET, roll: ROLL },
      fakeLambdaContext('rotateRollback'),
    );

    expect(query).toMatchObject({ mode: 'rollback', serviceDeploymentArn: arn });
    expect(ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(1);
    for (const index of ecs.calls().keys()) {
      expect(await signedAs(index)).toEqual({ region: 'us-west-2', accessKeyId: 'ASIAROLLEDSESSION' });
    }
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({ RoleSessionName: ROTATION_ID });
  });

  // Last: the SDK's own signing (un-mocked ECS) is what asks for the role's credentials.
  it('whose role cannot be assumed fail the step with TargetAccessError naming the role, and touch nothing', async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`), {
        name: 'AccessDenied',
      }),
    );
    ecs.restore();
    // Nothing listens there: a call that got past the role would fail otherwise.
    const handler = wireRollback({ ...wiring, aws: { ...wiring.aws, endpoint: 'http://127.0.0.1:9' } }) as (
      event: unknown,
      context: unknown,
    ) => Promise<unknown>;

    const step = handler({ rotationId: ROTATION_ID, target: TARGET, roll: ROLL }, fakeLambdaContext('rotateRollback'));

    await expect(step).rejects.toMatchObject({ name: 'TargetAccessError' });
    await expect(step).rejects.toThrow(`cannot assume role ${ROLE}: AccessDenied`);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({ RoleArn: ROLE });
  });
});
