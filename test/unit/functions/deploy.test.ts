import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../../../functions/deploy/handler.ts';
import { InvalidInputError, TransientError } from '../../../src/platform/errors.ts';
import type { AlreadyLive, DeployResult } from '../../../src/release/release.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import { webDeployment, webRelease } from '../../support/ecs-release.ts';
import { fakeLambdaContext, useFunctionEnvironment } from '../../support/fake-lambda-context.ts';

useFunctionEnvironment();
const ecsMock = mockClient(ECSClient);
const dynamoMock = mockClient(DynamoDBClient);

// Wired as the sandbox wires it: its own configuration, nothing set on process.env for the function.
const handler = wire({
  env: { IDEMPOTENCY_TABLE: 'release-automation-test-idempotency' },
  aws: { region: 'us-east-1' },
}) as unknown as (event: unknown, context: ReturnType<typeof fakeLambdaContext>) => Promise<DeployResult | AlreadyLive>;

/** The idempotency table already holds a record for this release. */
function recordExists(status: 'COMPLETED' | 'INPROGRESS', data?: DeployResult) {
  const now = Date.now();
  const Item = marshall({
    id: 'deploy#a1b2c3',
    expiration: Math.floor(now / 1000) + 3600,
    status,
    ...(status === 'INPROGRESS' ? { in_progress_expiration: now + 60_000 } : {}),
    ...(data ? { data } : {}),
  });
  dynamoMock
    .on(PutItemCommand)
    .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item }));
}

const deployed = () =>
  ecsMock.commandCalls(RegisterTaskDefinitionCommand).length + ecsMock.commandCalls(UpdateServiceCommand).length;

beforeEach(() => {
  dynamoMock.on(PutItemCommand).resolves({});
  dynamoMock.on(UpdateItemCommand).resolves({});
  dynamoMock.on(DeleteItemCommand).resolves({});
  ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services.json'));
  ecsMock.on(DescribeTaskDefinitionCommand).resolves(awsFixture('ecs/describe-task-definition.json'));
  ecsMock.on(ListTaskDefinitionsCommand).resolves(awsFixture('ecs/list-task-definitions.json'));
  ecsMock.on(RegisterTaskDefinitionCommand).resolves(awsFixture('ecs/register-task-definition.json'));
  ecsMock.on(UpdateServiceCommand).resolves(awsFixture('ecs/update-service.json'));
});

afterEach(() => {
  ecsMock.reset();
  dynamoMock.reset();
});

describe('deploy handler', () => {
  it('deploys the release and records the result under the release id', async () => {
    const result = await handler({ request: webRelease() }, fakeLambdaContext('deploy', 60));

    expect(result).toMatchObject({
      previousTaskDefinitionArn: webDeployment().previousTaskDefinitionArn,
      taskDefinitionArn: webDeployment().taskDefinitionArn,
      serviceDeploymentArn: webDeployment().serviceDeploymentArn,
    });
    expect(dynamoMock.commandCalls(PutItemCommand)[0]?.args[0].input.TableName).toBe(
      'release-automation-test-idempotency',
    );
    const saved = dynamoMock.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(saved?.ExpressionAttributeValues?.[':status']).toEqual({ S: 'COMPLETED' });
    // Records expire about a day later.
    const expiry = Number(saved?.ExpressionAttributeValues?.[':expiry']?.N) - Date.now() / 1000;
    expect(expiry).toBeGreaterThan(23 * 3600);
    expect(expiry).toBeLessThanOrEqual(24 * 3600 + 1);
  });

  it('keys the idempotency record by the release id alone: a retry with other state is the same release', async () => {
    const keyOf = async (request: ReturnType<typeof webRelease>) => {
      dynamoMock.resetHistory();
      await handler({ request }, fakeLambdaContext('deploy', 60));
      return dynamoMock.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.id?.S;
    };
    const first = await keyOf(webRelease());
    const sameRelease = await keyOf({ ...webRelease(), lockWaitDeadline: '2026-11-21T12:00:00Z' });
    const otherRelease = await keyOf({ ...webRelease(), releaseId: 'web-staging-another-event' });

    expect(first).toMatch(/#\S+$/);
    expect(sameRelease).toBe(first);
    expect(otherRelease).not.toBe(first);
  });

  it('returns the first result to a retry after a lost response, deploying nothing again', async () => {
    recordExists('COMPLETED', webDeployment());

    const result = await handler({ request: webRelease() }, fakeLambdaContext('deploy', 60));

    expect(result).toEqual(webDeployment());
    expect(deployed()).toBe(0);
  });

  it('asks for a retry while the first invocation is still deploying, leaving its record alone', async () => {
    recordExists('INPROGRESS');

    await expect(handler({ request: webRelease() }, fakeLambdaContext('deploy', 60))).rejects.toThrow(TransientError);
    expect(deployed()).toBe(0);
    expect(dynamoMock.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('lets a failed deploy be tried again: its record is removed', async () => {
    ecsMock
      .on(UpdateServiceCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(handler({ request: webRelease() }, fakeLambdaContext('deploy', 60))).rejects.toThrow(TransientError);
    expect(dynamoMock.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });

  it('rejects input that is not a release request with InvalidInputError, changing nothing', async () => {
    const { image: _image, ...withoutImage } = webRelease();
    await expect(handler({ request: withoutImage }, fakeLambdaContext('deploy', 60))).rejects.toThrow(
      InvalidInputError,
    );
    await expect(handler({}, fakeLambdaContext('deploy', 60))).rejects.toThrow(InvalidInputError);
    expect(ecsMock.calls()).toHaveLength(0);
  });
});
