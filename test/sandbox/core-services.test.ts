import { readFileSync } from 'node:fs';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LogLevel, WebClient } from '@slack/web-api';
import { type Sandbox, startSandbox } from '../../sandbox/index.ts';
import { awsCli, describeWithAwsCli } from '../e2e/support/aws-cli.ts';
import { sdkConfig } from './support/clients.ts';

// SSM, EventBridge, DynamoDB and the Slack stub of a started sandbox, through
// the SDK v3 clients, @slack/web-api and the AWS CLI v2.

const event = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../events/aws.ecr/${name}.json`, import.meta.url), 'utf8'));

let sandbox: Sandbox;
const planned: unknown[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    slackPort: 0,
    quiet: true,
    services: [],
    // Only the trigger matters here: the release plans nothing.
    handlers: {
      plan: async (input) => {
        planned.push(input);
        return { releases: [], refusedTargets: [] };
      },
    },
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('SSM Parameter Store', () => {
  it('holds the Slack token as a SecureString: ciphertext unless decrypted', async () => {
    const ssm = new SSMClient(sdkConfig(sandbox.endpoint));
    const Name = sandbox.environment.SLACK_TOKEN_PARAMETER;
    const decrypted = await ssm.send(new GetParameterCommand({ Name, WithDecryption: true }));
    expect(decrypted.Parameter).toMatchObject({ Name, Type: 'SecureString', Value: sandbox.slack.token, Version: 1 });
    expect(decrypted.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const encrypted = await ssm.send(new GetParameterCommand({ Name }));
    expect(encrypted.Parameter?.Value).not.toContain(sandbox.slack.token);
    ssm.destroy();
  });

  it('versions every overwrite, moves labels, and refuses what SSM refuses', async () => {
    const ssm = new SSMClient(sdkConfig(sandbox.endpoint));
    const Name = '/test/db/password';
    expect(await ssm.send(new PutParameterCommand({ Name, Value: 'one', Type: 'SecureString' }))).toMatchObject({
      Version: 1,
      Tier: 'Standard',
    });
    await expect(ssm.send(new PutParameterCommand({ Name, Value: 'two' }))).rejects.toMatchObject({
      name: 'ParameterAlreadyExists',
    });
    expect((await ssm.send(new PutParameterCommand({ Name, Value: 'two', Overwrite: true }))).Version).toBe(2);
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ['current'] }));
    const moved = await ssm.send(new LabelParameterVersionCommand({ Name, Labels: ['current', 'aws-nope', '1st'] }));
    expect(moved).toMatchObject({ ParameterVersion: 2, InvalidLabels: ['aws-nope', '1st'] });
    const history = await ssm.send(new GetParameterHistoryCommand({ Name, WithDecryption: true }));
    expect(history.Parameters?.map(({ Version, Value, Labels }) => ({ Version, Value, Labels }))).toEqual([
      { Version: 1, Value: 'one', Labels: [] },
      { Version: 2, Value: 'two', Labels: ['current'] },
    ]);
    const byLabel = await ssm.send(new GetParameterCommand({ Name: `${Name}:current`, WithDecryption: true }));
    expect(byLabel.Parameter).toMatchObject({ Value: 'two', Selector: ':current' });
    const byVersion = await ssm.send(new GetParameterCommand({ Name: `${Name}:1`, WithDecryption: true }));
    expect(byVersion.Parameter?.Value).toBe('one');
    const both = await ssm.send(new GetParametersCommand({ Names: [Name, '/test/missing'], WithDecryption: true }));
    expect(both.Parameters?.map((parameter) => parameter.Value)).toEqual(['two']);
    expect(both.InvalidParameters).toEqual(['/test/missing']);
    await ssm.send(new PutParameterCommand({ Name: '/test/db/user', Value: 'app', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/test/db/deep/x', Value: 'x', Type: 'String' }));
    const shallow = await ssm.send(new GetParametersByPathCommand({ Path: '/test/db' }));
    expect(shallow.Parameters?.map((parameter) => parameter.Name)).toEqual(['/test/db/password', '/test/db/user']);
    const deep = await ssm.send(new GetParametersByPathCommand({ Path: '/test', Recursive: true }));
    expect(deep.Parameters).toHaveLength(3);
    await expect(
      ssm.send(new PutParameterCommand({ Name: '/aws/x', Value: 'x', Type: 'String' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(ssm.send(new GetParameterCommand({ Name: '/test/none' }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
      $metadata: { httpStatusCode: 400 },
    });
    ssm.destroy();
  });
});

describeWithAwsCli('SSM Parameter Store, through the AWS CLI v2', () => {
  it('puts and gets a SecureString, and answers a missing parameter with its error', async () => {
    const put = await awsCli(sandbox.endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      '/test/cli',
      '--type',
      'SecureString',
      '--value',
      's3cret',
    ]);
    expect(JSON.parse(put.stdout)).toEqual({ Version: 1, Tier: 'Standard' });
    const got = await awsCli(sandbox.endpoint, ['ssm', 'get-parameter', '--name', '/test/cli', '--with-decryption']);
    expect(JSON.parse(got.stdout).Parameter).toMatchObject({ Name: '/test/cli', Value: 's3cret', Version: 1 });
    const missing = await awsCli(sandbox.endpoint, ['ssm', 'get-parameter', '--name', '/test/none']);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('An error occurred (ParameterNotFound) when calling the GetParameter operation');
  });
});

describe('EventBridge', () => {
  it('puts events with per-entry results: refused entries fail alone', async () => {
    const events = new EventBridgeClient(sdkConfig(sandbox.endpoint));
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'my.app', DetailType: 'Thing Happened', Detail: '{"thing":1}' },
          { Source: 'aws.ecr', DetailType: 'ECR Image Action', Detail: '{}' },
          { Source: 'my.app', DetailType: 'Thing Happened', Detail: 'not json' },
          { Source: 'my.app', DetailType: 'Thing Happened', Detail: '{}', EventBusName: 'elsewhere' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(3);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.slice(1).map((entry) => entry.ErrorCode)).toEqual([
      'NotAuthorizedForSourceException',
      'MalformedDetail',
      'ResourceNotFoundException',
    ]);
    await expect(events.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    events.destroy();
  });

  it("starts the release state machine for an ECR push that matches serverless.yml's rule, with the event as input", async () => {
    const sfn = new SFNClient(sdkConfig(sandbox.endpoint));
    const release = sandbox.stateMachines.byKey('release');
    const before = sandbox.stateMachines.executionsOf(release?.arn ?? '').length;
    expect(sandbox.eventBus.publish(event('push-failed'))).toEqual([]);
    expect(sandbox.eventBus.publish(event('push-unknown-repository'))).toEqual([]);
    const push = event('push');
    expect(sandbox.eventBus.publish(push)).toEqual(['release-automation-dev-release-rule-1']);
    let executions: { name?: string }[] = [];
    for (let attempt = 0; attempt < 100 && executions.length === before; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: release?.arn }))).executions ?? [];
    }
    expect(executions).toHaveLength(before + 1);
    const [started] = sandbox.stateMachines.executionsOf(release?.arn ?? '');
    expect(JSON.parse(started?.input ?? '')).toEqual(push);
    await started?.settled;
    expect(started?.status).toBe('SUCCEEDED');
    expect(planned.at(-1)).toEqual(push);
    sfn.destroy();
  });
});

describe('DynamoDB (dynalite behind the endpoint)', () => {
  it("has serverless.yml's tables under their deployed names, and DynamoDB's errors", async () => {
    const dynamodb = new DynamoDBClient(sdkConfig(sandbox.endpoint));
    const { TableNames } = await dynamodb.send(new ListTablesCommand({}));
    expect(TableNames).toEqual([
      'release-automation-dev-approvals',
      'release-automation-dev-idempotency',
      'release-automation-dev-locks',
      'release-automation-dev-releases',
    ]);
    const TableName = 'release-automation-dev-locks';
    const Item = { lockKey: { S: 'web#staging' }, owner: { S: 'release-1' } };
    await dynamodb.send(new PutItemCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(lockKey)' }));
    const again = dynamodb.send(
      new PutItemCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(lockKey)' }),
    );
    await expect(again).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const { Item: read } = await dynamodb.send(
      new GetItemCommand({ TableName, Key: { lockKey: { S: 'web#staging' } } }),
    );
    expect(read).toEqual(Item);
    await expect(
      dynamodb.send(new GetItemCommand({ TableName: 'nope', Key: { id: { S: 'x' } } })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    dynamodb.destroy();
  });
});

describeWithAwsCli('DynamoDB, through the AWS CLI v2', () => {
  it('describes a table', async () => {
    const TableName = 'release-automation-dev-locks';
    const described = await awsCli(sandbox.endpoint, ['dynamodb', 'describe-table', '--table-name', TableName]);
    expect(JSON.parse(described.stdout).Table).toMatchObject({ TableName, TableStatus: 'ACTIVE' });
  });
});

describe('the Slack Web API stub', () => {
  it('answers @slack/web-api as Slack does and keeps the messages', async () => {
    const options = { slackApiUrl: sandbox.slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR };
    const slack = new WebClient(sandbox.slack.token, options);
    expect(await slack.auth.test()).toMatchObject({ ok: true, team_id: 'T0SANDBOX', bot_id: 'B0SANDBOX' });
    const posted = await slack.chat.postMessage({ channel: '#releases', text: 'Releasing web v2 to staging' });
    expect(posted).toMatchObject({ ok: true, channel: expect.stringMatching(/^C[A-Z0-9]+$/) });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    const reply = await slack.chat.postMessage({
      channel: posted.channel ?? '',
      thread_ts: posted.ts,
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*web* v2 is live' } }],
    });
    await slack.chat.update({ channel: posted.channel ?? '', ts: posted.ts ?? '', text: 'Released web v2 to staging' });
    await expect(slack.chat.update({ channel: posted.channel ?? '', ts: '1.000001', text: 'x' })).rejects.toMatchObject(
      {
        data: { ok: false, error: 'message_not_found' },
      },
    );
    await expect(slack.chat.postMessage({ channel: '#releases', text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
    const ephemeral = await slack.chat.postEphemeral({ channel: '#releases', user: 'U123', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);

    // The release alarms post to their own channel (README, Alarms); the stale-production one fires at start.
    const messages = sandbox.slack.messages().filter((message) => message.channelName !== '#release-alarms');
    expect(messages).toEqual([
      expect.objectContaining({
        channelName: '#releases',
        ts: posted.ts,
        text: 'Released web v2 to staging',
        edits: 1,
      }),
      expect.objectContaining({ threadTs: posted.ts, ts: reply.ts, blocks: expect.any(Array) }),
      expect.objectContaining({ ephemeralTo: 'U123', text: 'only you' }),
    ]);

    const forged = new WebClient('xoxb-forged', options);
    await expect(forged.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
  });
});
