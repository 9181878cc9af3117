import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { jest } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { type SlackStub, startSlackStub } from '../../../sandbox/slack/stub.ts';
import { InvalidInputError } from '../../../src/platform/errors.ts';
import type { Wiring } from '../../../src/platform/wiring.ts';
import { releaseRequest } from '../../support/release-request.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// The four handlers as Lambda runs them: configuration from the environment at
// cold start, the event as the state machine sends it, the middy stack around.

const TOKEN = 'xoxb-secret-bot-token';
const TOKEN_PARAMETER = '/release-automation/slack/bot-token';
const ssm = mockClient(SSMClient);

type Handler = (event: unknown, context: Context) => Promise<unknown>;
let tables: ReleaseTables;
let slack: SlackStub;
let claim: Handler;
let finish: Handler;
let notify: Handler;
let smokeTest: Handler;
const savedEnv = { ...process.env };
// Everything the functions log (POWERTOOLS_DEV sends it to the global console).
const logged: string[] = [];

const context = (functionName: string): Context => ({
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2026/11/21/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
  [tables, slack] = await Promise.all([startReleaseTables('handlers'), startSlackStub({ port: 0, token: TOKEN })]);
  // Powertools' own settings; the functions' configuration and AWS are in their wiring.
  Object.assign(process.env, {
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const wiring: Wiring = {
    env: { ...tables.environment, SLACK_TOKEN_PARAMETER: TOKEN_PARAMETER, SLACK_API_URL: slack.apiUrl },
    aws: {
      endpoint: tables.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    },
  };
  const load = async (name: string) =>
    ((await import(`../../../functions/${name}/handler.ts`)) as { wire: (wiring: Wiring) => Handler }).wire(wiring);
  claim = await load('claim');
  finish = await load('finish');
  notify = await load('notify');
  smokeTest = await load('smoke-test');
}, 60_000);
afterAll(async () => {
  process.env = savedEnv;
  jest.restoreAllMocks();
  ssm.restore();
  await Promise.all([tables.stop(), slack.close()]);
});

const record = async (releaseId: string) =>
  (await tables.documents.send(new GetCommand({ TableName: tables.environment.RELEASES_TABLE, Key: { releaseId } })))
    .Item;

describe('claim and finish handlers', () => {
  it('claim takes the target for the execution and finish records the outcome and frees it', async () => {
    const request = releaseRequest({ environment: 'handlers' });
    const executionId = 'arn:aws:states:us-east-1:123456789012:execution:release:abc';

    await expect(claim({ request, executionId }, context('claim'))).resolves.toMatchObject({ status: 'ACQUIRED' });
    await expect(
      finish(
        { request, executionId, outcome: 'FAILED', error: { Error: 'DeployFailedError', Cause: 'no such cluster' } },
        context('finish'),
      ),
    ).resolves.toEqual({
      releaseId: request.releaseId,
      outcome: 'FAILED',
      reason: 'DeployFailedError: no such cluster',
    });
    expect(await record(request.releaseId)).toMatchObject({ outcome: 'FAILED', executionId });
  });

  it('claim refuses a malformed event, naming the field', async () => {
    const { releaseId: _missing, ...request } = releaseRequest({ environment: 'malformed' });

    const attempt = claim({ request, executionId: 'exec-1' }, context('claim'));

    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow(/releaseId/);
  });

  it('finish refuses an outcome the records do not know', async () => {
    const request = releaseRequest({ environment: 'unknown-outcome' });

    const attempt = finish({ request, executionId: 'exec-1', outcome: 'DONE' }, context('finish'));

    await expect(attempt).rejects.toThrow(/outcome/);
    expect(await record(request.releaseId)).toBeUndefined();
  });
});

describe('notify handler', () => {
  beforeEach(() => {
    ssm.reset();
    slack.calls.length = 0;
  });

  it('reads the bot token once per container, decrypted, and posts with it', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: TOKEN_PARAMETER, Value: TOKEN, Type: 'SecureString' } });
    const request = releaseRequest({ environment: 'notify' });

    const started = (await notify({ event: 'started', request, notice: {} }, context('notify'))) as { ts: string };
    // The state machine hands the whole previous result on as `notice`.
    await notify({ event: 'succeeded', request, notice: { delivered: true, ...started } }, context('notify'));

    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
      { Name: TOKEN_PARAMETER, WithDecryption: true },
    ]);
    expect(slack.calls.map((call) => call.token)).toEqual([TOKEN, TOKEN]);
    expect(slack.calls[1]?.args.thread_ts).toBe(started.ts);
  });

  it('never fails nor logs the token when Slack refuses it', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: TOKEN_PARAMETER, Value: TOKEN, Type: 'SecureString' } });
    slack.script(() => ({ body: { ok: false, error: 'invalid_auth' } }));
    logged.length = 0;

    const result = await notify({ event: 'started', request: releaseRequest() }, context('notify'));

    expect(result).toMatchObject({ delivered: false, channel: '#releases' });
    expect(logged.join('\n')).toContain('invalid_auth');
    expect(logged.join('\n')).not.toContain(TOKEN);
  });
});

describe('smoke-test handler', () => {
  it('passes with no checks configured', async () => {
    await expect(smokeTest({ checks: [] }, context('smokeTest'))).resolves.toEqual({ passed: true, checks: [] });
  });

  it('refuses a check that is not an HTTP URL', async () => {
    await expect(smokeTest({ checks: [{ url: 'file:///etc/passwd' }] }, context('smokeTest'))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});
