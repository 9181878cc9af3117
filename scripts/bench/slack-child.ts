// The slack-command handler in a process of its own (spawned by slack.ts):
// answers 1000 requests of each kind in-process and prints the durations.
// AWS is mocked (aws-sdk-client-mock), Slack is a loopback stub: the figures
// are the handler's own work, not AWS's or Slack's latency.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { functionUrlEvent } from '../../sandbox/lambda/function-url-event.ts';
import { startSlackStub } from '../../sandbox/slack/stub.ts';
import { approvalIdFor } from '../../src/approvals/id.ts';
import { signSlackBody, slashCommandBody } from '../../src/slack/adapters/signed-request.ts';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const slack = await startSlackStub({ port: 0, token: TOKEN });
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  RELEASES_TABLE: 'releases',
  LOCKS_TABLE: 'locks',
  APPROVALS_TABLE: 'approvals',
  SLACK_TOKEN_PARAMETER: '/slack/bot-token',
  SLACK_SIGNING_SECRET_PARAMETER: '/slack/signing-secret',
  RELEASE_STATE_MACHINE_NAME: 'release-automation-dev-release',
  ROTATION_STATE_MACHINE_NAME: 'release-automation-dev-rotation',
  SLACK_API_URL: slack.apiUrl,
  RELEASE_CATALOG_FILE: fileURLToPath(new URL('../../test/fixtures/catalog/state-machine.yml', import.meta.url)),
  SMOKE_URL: 'http://127.0.0.1:9/health',
});
const releaseId = 'gate-production-bench';
const approvalId = approvalIdFor(releaseId);
mockClient(SSMClient)
  .on(GetParameterCommand, { Name: '/slack/signing-secret' })
  .resolves({ Parameter: { Value: SECRET } })
  .on(GetParameterCommand, { Name: '/slack/bot-token' })
  .resolves({ Parameter: { Value: TOKEN } });
const pending = {
  approvalId,
  releaseId,
  executionId: 'x',
  request: {
    releaseId,
    target: { service: 'gate', environment: 'production', slackChannel: '#releases' },
    image: { repository: 'demo/gate', tag: 'v2', digest: `sha256:${'2'.repeat(64)}` },
    trigger: { source: 'slack-command', eventId: 'b', at: new Date().toISOString() },
  },
  status: 'PENDING',
  createdAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  message: { channel: '#releases', ts: '1.000001' },
};
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
