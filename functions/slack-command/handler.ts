import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { catalog } from '#catalog';
import type { ChatReply } from '../../src/platform/chat-reply.ts';
import { requireEnv } from '../../src/platform/env.ts';
import { logger } from '../../src/platform/lambda.ts';
import { secretParameter } from '../../src/platform/secret-parameter.ts';
import { stateMachineArn } from '../../src/platform/state-machine-arn.ts';
import { createEcrRegistry } from '../../src/release/adapters/ecr.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import { createReleaseWorkflow } from '../../src/release/adapters/release-workflow.ts';
import { createRotationWorkflow } from '../../src/rotation/adapters/rotation-workflow.ts';
import { approvalStoreFromEnvironment, slackChatFromEnvironment } from '../../src/slack/adapters/chat-from-env.ts';
import { logRequestError, type SlackEvent, slackRequest } from '../../src/slack/adapters/slack-request.ts';
import { type ChatCommandPorts, runChatButton, runChatCommand } from '../../src/slack/run-command.ts';

// Everything is done before answering (Lambda may freeze the function once it
// has answered): each command's own work is a few DynamoDB and Step Functions
// calls, well inside Slack's 3 s. See README "Approvals and /release commands".

const signingSecretParameter = requireEnv('SLACK_SIGNING_SECRET_PARAMETER');
const stateMachineName = requireEnv('RELEASE_STATE_MACHINE_NAME');
const rotationStateMachineName = requireEnv('ROTATION_STATE_MACHINE_NAME');
const chat = slackChatFromEnvironment();
const sfn = new SFNClient({});
const base = {
  catalog,
  chat,
  approvals: approvalStoreFromEnvironment(),
  releases: releaseStoreFromEnvironment(),
  ecs: createEcsAdapter(new ECSClient({})),
  registry: createEcrRegistry(new ECRClient({})),
  now: () => new Date(),
  warn: (message: string) => logger.warn(message),
};
let ports: ChatCommandPorts | undefined;

const ephemeral = (reply: ChatReply) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ response_type: reply.public ? 'in_channel' : 'ephemeral', text: reply.text }),
});

/** Slack's slash commands (`/release …`) and button clicks, verified, answered within Slack's 3 s. */
const answer = async (event: SlackEvent, context: Context): Promise<APIGatewayProxyResultV2> => {
  ports ??= {
    ...base,
    workflow: createReleaseWorkflow(sfn, stateMachineArn(context.invokedFunctionArn, stateMachineName)),
    rotations: createRotationWorkflow(sfn, stateMachineArn(context.invokedFunctionArn, rotationStateMachineName)),
  };
  const request = event.slack;
  logger.info('slack request', { kind: request.kind, user: request.user });
  let reply: ChatReply;
  try {
    reply =
      request.kind === 'command'
        ? await runChatCommand(
            { text: request.text, user: request.user, requestId: `${request.timestamp}-${request.user}` },
            ports,
          )
        : await runChatButton(request, ports);
  } catch (error) {
    // Slack shows a failed request as a bare error code: say what happened, by the error's name only.
    const name = error instanceof Error ? error.name : 'Error';
    logger.error('request failed', { errorName: name, errorMessage: error instanceof Error ? error.message : '' });
    reply = {
      text: `That did not work (${name}); it may not have taken effect. Check \`/release status\` and try again.`,
    };
  }
  if (request.kind === 'command') return ephemeral(reply);
  // A click changes the approval message itself; whatever else there is to say goes to the clicker alone.
  if (!reply.public && request.channel) await chat.postEphemeral(request.channel, request.user, reply.text);
  return { statusCode: 200, body: '' };
};

export const handler = middy<SlackEvent, APIGatewayProxyResultV2, Error, Context>(answer)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpHeaderNormalizer())
  .use(slackRequest({ secret: secretParameter(signingSecretParameter) }))
  .use(httpErrorHandler({ logger: logRequestError, fallbackMessage: 'internal error' }));
