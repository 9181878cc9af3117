import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ApprovalStore, withdrawApproval } from '../../approvals/index.ts';
import { createDynamoApprovalStore } from '../../approvals/wiring.ts';
import type { ChatPort } from '../../platform/chat.ts';
import { loadConfig } from '../../platform/config.ts';
import type { Notifier } from '../../platform/notifier.ts';
import { secretParameter } from '../../platform/secret-parameter.ts';
import type { Wiring } from '../../platform/wiring.ts';
import { createSlackChat } from './slack-chat.ts';
import { createSlackClient } from './slack-client.ts';

// Slack as the functions reach it, built from a function's wiring. The bot
// token is read from the SecureString SLACK_TOKEN_PARAMETER names when first
// posting, so a bad token is a failed post, not a failed cold start.

const slackOptions = (wiring: Wiring) => {
  const { slackTokenParameter, slackApiUrl } = loadConfig(wiring.env, ['slackTokenParameter', 'slackApiUrl']);
  return { client: createSlackClient({ slackApiUrl }), token: secretParameter(slackTokenParameter, wiring.aws) };
};

/** Slack chat (messages, updates, ephemeral replies, user groups) with the bot token. */
export function wiredChat(wiring: Wiring): ChatPort {
  return createSlackChat(slackOptions(wiring));
}

/** The Slack notifier the release and rotation messages are posted with: the same chat (a ChatPort is a Notifier). */
export function wiredNotifier(wiring: Wiring): Notifier {
  return wiredChat(wiring);
}

/** The approval store over APPROVALS_TABLE and RELEASES_TABLE. */
export function wiredApprovals(wiring: Wiring): ApprovalStore {
  return createDynamoApprovalStore({
    client: DynamoDBDocumentClient.from(new DynamoDBClient(wiring.aws), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    ...loadConfig(wiring.env, ['approvalsTable', 'releasesTable']),
  });
}

/** Withdraws a stopped release's pending approval (store and message), over this wiring's clients, built once. */
export function wiredApprovalWithdrawal(wiring: Wiring): (releaseId: string, reason: string) => Promise<void> {
  const ports = { approvals: wiredApprovals(wiring), chat: wiredChat(wiring), now: () => new Date() };
  return async (releaseId, reason) => {
    await withdrawApproval(releaseId, reason, ports);
  };
}
