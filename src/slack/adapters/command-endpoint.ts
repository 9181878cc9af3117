import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { ChatReply } from '../../platform/chat-reply.ts';
import { commandRequestId } from '../command.ts';
import { type ChatCommandPorts, runChatButton, runChatCommand } from '../run-command.ts';
import type { SlackEvent } from './slack-request.ts';

// Everything is done before answering (Lambda may freeze the function once it
// has answered): each command's own work is a few DynamoDB and Step Functions
// calls, well inside Slack's 3 s. See README "Approvals and /release commands".

const ephemeral = (reply: ChatReply) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ response_type: reply.public ? 'in_channel' : 'ephemeral', text: reply.text }),
});

/**
 * Answers a verified Slack request: a slash command with its reply, a click by
 * changing the approval message. `portsFor` gives the ports once the function's
 * own ARN is known (the state machines' ARNs are read from it).
 */
export function commandEndpoint(
  portsFor: (context: Context) => ChatCommandPorts,
  logger: Logger,
): (event: SlackEvent, context: Context) => Promise<APIGatewayProxyResultV2> {
  return async (event, context) => {
    const ports = portsFor(context);
    const request = event.slack;
    logger.info('slack request', { kind: request.kind, user: request.user });
    let reply: ChatReply;
    try {
      reply =
        request.kind === 'command'
          ? await runChatCommand(
              {
                text: request.text,
                user: request.user,
                requestId: commandRequestId(request.timestamp, request.user, request.text),
              },
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
    if (!reply.public && request.channel) await ports.chat.postEphemeral(request.channel, request.user, reply.text);
    return { statusCode: 200, body: '' };
  };
}
