import { Logger } from '@aws-lambda-powertools/logger';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { type SlackStub, startSlackStub } from '../../sandbox/slack/stub.ts';
import { fakeLambdaContext, useFunctionEnvironment } from './fake-lambda-context.ts';
import {
  approvalId,
  pendingApproval as pendingApprovalOf,
  releaseId,
  slackCommandEnvironment,
} from './slack-command-setup.ts';

// slack-command's handler over mocked AWS (aws-sdk-client-mock: SSM, DynamoDB's
// document client, Step Functions) and the sandbox's Slack stub, with the
// state-machine catalog (gate/production needs approvals).

export const SECRET = 'unit-signing-secret-5e1f9a';
export const BOT_TOKEN = 'xoxb-unit-test-bot-token-4d2c';
export const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAUnit+Task+Token+7f3e';
export { approvalId, releaseId };

/** The function's logger: silent unless the file asks for another POWERTOOLS_LOG_LEVEL or a test turns it up. */
export let logger = new Logger({ serviceName: 'slackCommand', logLevel: 'SILENT' });

export const ssm = mockClient(SSMClient);
export const dynamo = mockClient(DynamoDBDocumentClient);
export const sfn = mockClient(SFNClient);
type Handler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof fakeLambdaContext>) => Promise<unknown>;
let handler: Handler | undefined;
let loggingHandler: (() => Handler) | undefined;
let stub: SlackStub | undefined;

/** The Slack stub the handler talks to. */
export const slack = (): SlackStub => {
  if (!stub) throw new Error('useSlackCommand() has not started');
  return stub;
};

/** A pending approval of gate/production, asked for by U0ASKER, waiting on TASK_TOKEN. */
export const pendingApproval = (changes: Record<string, unknown> = {}) =>
  pendingApprovalOf({ taskToken: TASK_TOKEN, ...changes });

/** Imports the handler once for the file and resets the mocks before each test. */
export function useSlackCommand(extraEnvironment: Record<string, string> = {}): void {
  beforeAll(async () => {
    stub = await startSlackStub({ port: 0, token: BOT_TOKEN });
    stub.setGroup('S0RELEASERS', ['U0GROUPIE']);
    useFunctionEnvironment();
    // Wired like the sandbox wires it: its own configuration and logger, nothing read from process.env.
    const env = {
      ...slackCommandEnvironment(stub.apiUrl),
      ...extraEnvironment,
    };
    logger = new Logger({
      serviceName: 'slackCommand',
      logLevel: extraEnvironment.POWERTOOLS_LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'SILENT',
    });
    const { wire } = await import('../../functions/slack-command/handler.ts');
    handler = wire({ env, aws: { region: 'us-east-1' } }, logger) as unknown as Handler;
    loggingHandler = () =>
      wire(
        { env, aws: { region: 'us-east-1' } },
        new Logger({ serviceName: 'slackCommand', logLevel: 'DEBUG' }),
      ) as unknown as Handler;
  });
  afterAll(() => stub?.close());
  beforeEach(() => {
    ssm.reset();
    dynamo.reset();
    sfn.reset();
    ssm.on(GetParameterCommand, { Name: '/slack/signing-secret' }).resolves({ Parameter: { Value: SECRET } });
    ssm.on(GetParameterCommand, { Name: '/slack/bot-token' }).resolves({ Parameter: { Value: BOT_TOKEN } });
    dynamo.on(GetCommand).resolves({ Item: pendingApproval() });
    dynamo.on(UpdateCommand).resolves({ Attributes: { taskToken: TASK_TOKEN } });
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(ScanCommand).resolves({ Items: [] });
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y', startDate: new Date() });
  });
}

/** Invokes the handler as Lambda would. */
export const call = (event: APIGatewayProxyEventV2) => {
  if (!handler) throw new Error('useSlackCommand() has not imported the handler');
  return handler(event, fakeLambdaContext('release-automation-dev-slackCommand', 10));
};

/** A handler wired like the file's, with its own logger at DEBUG from its cold start, to see what the logs hold. */
export const loggingSlackCommand = (): Handler => {
  if (!loggingHandler) throw new Error('useSlackCommand() has not imported the handler');
  const wired = loggingHandler();
  return (event, context) => wired(event, context);
};

/** Every write to DynamoDB and every Step Functions call that changes something. */
export const writes = () =>
  dynamo.commandCalls(PutCommand).length +
  dynamo.commandCalls(UpdateCommand).length +
  sfn.commandCalls(SendTaskSuccessCommand).length +
  sfn.commandCalls(SendTaskFailureCommand).length +
  sfn.commandCalls(StartExecutionCommand).length;
