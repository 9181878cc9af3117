import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { useFunctionEnvironment } from '../support/fake-lambda-context.ts';
import { startReleaseTables } from '../support/release-tables.ts';
import { ScriptedEcs } from '../support/scripted-ecs.ts';
import { createMachineRunner, loadHandlers, type MachineRunner, machineFunctions } from './asl-runner.ts';

// The release machine's world, run by the one ASL runner (asl-runner.ts). ECS, ECR and SSM are mocked
// (aws-sdk-client-mock over the real SDK clients, see ScriptedEcs); DynamoDB is
// a real dynalite; Slack is a local Web API that records what it is sent.
// SendTaskSuccess and SendTaskFailure (mocked SFN) answer the runner's task tokens.

export type { MachineRun as ReleaseRun, TaskFailure } from './asl-runner.ts';

export interface SlackMessage {
  method: string;
  body: Record<string, unknown>;
  /** The message ts the stub answered with. */
  ts: string;
}

export interface Harness {
  ecs: ScriptedEcs;
  slack: SlackMessage[];
  /** Makes the Slack stub answer 503 (an outage). */
  slackDown: (down: boolean) => void;
  /** How many requests the Slack stub has refused while down. */
  slackRefused: () => number;
  dynamodb: DynamoDBClient;
  tables: Record<string, string>;
  run: MachineRunner['run'];
  /** The Slack signing secret slack-command reads from SSM. */
  signingSecret: string;
  /** The inputs of the executions StartExecution (mocked SFN) was asked to start. */
  started: unknown[];
  /** How many SendTaskSuccess / SendTaskFailure calls reached a waiting task. */
  callbacks: () => { success: number; failure: number };
  /** Calls a function's real handler directly, as a second invocation outside the execution would. */
  invoke: MachineRunner['invoke'];
  stop: () => Promise<void>;
}

async function startSlack(messages: SlackMessage[]) {
  let down = false;
  let refused = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (down) {
        refused++;
        response.writeHead(503).end();
        return;
      }
      const method = (request.url ?? '').replace(/^\/api\//, '');
      const parsed = Object.fromEntries(new URLSearchParams(body)) as Record<string, unknown>;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(messages.length).padStart(6, '0')}`;
      messages.push({ method, body: parsed, ts });
      response.writeHead(200, { 'content-type': 'application/json' });
      // The user group S0RELEASERS has one member.
      const users =
        method === 'usergroups.users.list' && parsed.usergroup === 'S0RELEASERS' ? { users: ['U0GROUPIE'] } : {};
      response.end(JSON.stringify({ ok: true, channel: parsed.channel, ts, ...users }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    setDown: (value: boolean) => {
      down = value;
    },
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startHarness(): Promise<Harness> {
  const dynamo = await startReleaseTables(`sm-${randomUUID().slice(0, 8)}`);
  const tables = dynamo.environment;
  const slack: SlackMessage[] = [];
  const slackServer = await startSlack(slack);

  // The functions read their configuration at import: set it first.
  useFunctionEnvironment({
    ...tables,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    SLACK_TOKEN_PARAMETER: '/release-automation/slack/bot-token',
    SLACK_SIGNING_SECRET_PARAMETER: '/release-automation/slack/signing-secret',
    RELEASE_STATE_MACHINE_NAME: 'release-automation-dev-release',
    ROTATION_STATE_MACHINE_NAME: 'release-automation-dev-rotation',
    SLACK_API_URL: slackServer.url,
  });
  const ecs = new ScriptedEcs();
  const ssm = mockClient(SSMClient);
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Name: '/release-automation/slack/bot-token',
      Type: 'SecureString',
      Value: 'xoxb-test-token',
      Version: 1,
    },
  });
  const signingSecret = 'test-signing-secret-8f3a1c';
  ssm.on(GetParameterCommand, { Name: '/release-automation/slack/signing-secret' }).resolves({
    Parameter: {
      Name: '/release-automation/slack/signing-secret',
      Type: 'SecureString',
      Value: signingSecret,
      Version: 1,
    },
  });
  // Only the functions the machine runs: the others (function URLs) need configuration of their own.
  // …and slackCommand, through which the approval tests answer the machine's callbacks, and
  // abandon, which a stopped execution's status change event starts (abandon.test.ts).
  const handlers = await loadHandlers([...machineFunctions('release'), 'slackCommand', 'abandon']);
  const machine = createMachineRunner('release', handlers, [
    'WaitForTarget',
    'WaitForStability',
    'WaitForRollback',
    'WaitForRollout',
  ]);
  const callbacks = { success: 0, failure: 0 };
  const taskGone = () =>
    Object.assign(new Error('Task Timed Out or does not exist'), { name: 'TaskDoesNotExist', $fault: 'client' });
  const sfn = mockClient(SFNClient);
  sfn.on(SendTaskSuccessCommand).callsFake(({ taskToken, output }: { taskToken: string; output: string }) => {
    if (!machine.answer(taskToken, { output: JSON.parse(output) })) throw taskGone();
    callbacks.success++;
    return {};
  });
  sfn
    .on(SendTaskFailureCommand)
    .callsFake(({ taskToken, error, cause }: { taskToken: string; error: string; cause: string }) => {
      if (!machine.answer(taskToken, { error: Object.assign(new Error(cause), { name: error }) })) throw taskGone();
      callbacks.failure++;
      return {};
    });
  const started: unknown[] = [];
  sfn.on(StartExecutionCommand).callsFake(({ name, input }: { name: string; input: string }) => {
    started.push(JSON.parse(input));
    return {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:${name}`,
      startDate: new Date(),
    };
  });

  return {
    ecs,
    slack,
    slackDown: slackServer.setDown,
    slackRefused: slackServer.refused,
    dynamodb: dynamo.client,
    tables,
    run: machine.run,
    invoke: machine.invoke,
    signingSecret,
    started,
    callbacks: () => ({ ...callbacks }),
    stop: async () => {
      // A callback task of an aborted execution still waits for its token, and
      // its TimeoutSeconds timer with it: answered, the timer is cleared.
      machine.stop();
      ecs.restore();
      ssm.restore();
      sfn.restore();
      await slackServer.close();
      await dynamo.stop();
    },
  };
}
