import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoApprovalStore } from '../adapters/approval-store.ts';
import { createSlackClient } from '../adapters/slack.ts';
import { createSlackChat } from '../adapters/slack-chat.ts';
import type { ApprovalStore } from '../ports/approvals.ts';
import type { ChatPort } from '../ports/chat.ts';
import { optionalEnv, requireEnv } from './env.ts';
import { secretParameter } from './secret-parameter.ts';

/** Slack chat with the bot token from the SecureString `SLACK_TOKEN_PARAMETER` names. */
export function slackChatFromEnvironment(): ChatPort {
  const tokenParameter = requireEnv('SLACK_TOKEN_PARAMETER');
  return createSlackChat({
    client: createSlackClient({ slackApiUrl: optionalEnv('SLACK_API_URL') }),
    token: secretParameter(tokenParameter),
  });
}

/** The approval store over `APPROVALS_TABLE` and `RELEASES_TABLE`; call once per cold start. */
export function approvalStoreFromEnvironment(client = new DynamoDBClient({})): ApprovalStore {
  return createDynamoApprovalStore({
    client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    approvalsTable: requireEnv('APPROVALS_TABLE'),
    releasesTable: requireEnv('RELEASES_TABLE'),
  });
}
