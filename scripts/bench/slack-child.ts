// The slack-command handler in a process of its own (spawned by slack.ts):
// answers 1000 requests of each kind in-process and prints the durations.
// AWS is mocked (aws-sdk-client-mock), Slack is a loopback stub: the figures
// are the handler's own work, not AWS's or Slack's latency.
import { performance } from 'node:perf_hooks';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { functionUrlEvent } from '../../sandbox/lambda/function-url-event.ts';
import { startSlackStub } from '../../sandbox/slack/stub.ts';
import { signSlackBody, slashCommandBody } from '../../src/slack/wiring.ts';
import { useFunctionEnvironment } from '../../test/support/fake-lambda-context.ts';
import { approvalId, pendingApproval, slackCommandEnvironment } from '../../test/support/slack-command-setup.ts';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const slack = await startSlackStub({ port: 0, token: TOKEN });
useFunctionEnvironment(slackCommandEnvironment(slack.apiUrl));
mockClient(SSMClient)
  .on(GetParameterCommand, { Name: '/slack/signing-secret' })
  .resolves({ Parameter: { Value: SECRET } })
  .on(GetParameterCommand, { Name: '/slack/bot-token' })
  .resolves({ Parameter: { Value: TOKEN } });
const pending = pendingApproval({ message: { channel: '#releases', ts: '1.000001' } });
mockClient(DynamoDBDocumentClient)
  .on(GetCommand)
  .resolves({ Item: pending })
  .on(UpdateCommand)
  .resolves({ Attributes: { taskToken: 'bench-token' } });
mockClient(SFNClient).on(SendTaskSuccessCommand).resolves({});
// The approval message the decision updates.
await fetch(`${slack.apiUrl}chat.postMessage`, {
  method: 'POST',
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ channel: '#releases', text: 'approval' }),
});

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
const { handler } = (await import('../../functions/slack-command/handler.ts')) as unknown as { handler: Handler };
const context = {
  functionName: 'release-automation-dev-slackCommand',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:release-automation-dev-slackCommand',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
const request = (line: string, user: string) => {
  const signed = signSlackBody(slashCommandBody(line, user), SECRET);
  return functionUrlEvent(
    { method: 'POST', url: '/', headers: signed.headers, body: signed.body },
    { urlId: 'bench', region: 'us-east-1' },
  );
};

{
  const durations = async (line: string, user: string, times: number) => {
    const taken: number[] = [];
    for (let i = 0; i < times; i++) {
      const event = request(line, user);
      const start = performance.now();
      await handler(event, context);
      taken.push(performance.now() - start);
    }
    return taken;
  };
  await durations('/release help', 'U0BENCH', 100);
  const figures = {
    help: await durations('/release help', 'U0BENCH', 1000),
    approve: await durations(`/release approve ${approvalId}`, 'U0APPROVER', 1000),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
await slack.close();
