import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoApprovalStore } from '../../approvals/adapters/approval-store.ts';
import type { ApprovalStore } from '../../approvals/ports/approvals.ts';
import type { ChatPort } from '../../platform/chat.ts';
import { optionalEnv, requireEnv } from '../../platform/env.ts';
import { secretParameter } from '../../platform/secret-parameter.ts';
import { createSlackChat } from './slack-chat.ts';
import { createSlackClient } from './slack-client.ts';

/** The one Slack client every function posts with (a ChatPort is a Notifier): the bot token from the SecureString `SLACK_TOKEN_PARAMETER` names. */
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
