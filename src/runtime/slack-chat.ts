import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoApprovalStore } from '../adapters/approval-store.ts';
import { createSlackClient } from '../adapters/slack.ts';
import { createSlackChat } from '../adapters/slack-chat.ts';
import { ConfigurationError } from '../domain/errors.ts';
import type { ApprovalStore } from '../ports/approvals.ts';
import type { ChatPort } from '../ports/chat.ts';
import { optionalEnv, requireEnv } from './env.ts';

// Read once per container: a rotated secret is picked up by the next cold start.
const ONCE_PER_COLD_START = 365 * 24 * 60 * 60;

/** A SecureString parameter's value, read once per cold start; an empty one is a ConfigurationError naming the parameter. */
export async function secureParameter(name: string): Promise<string> {
  // Powertools caches only values it got, so a failed read is tried again next time.
  const value = await getParameter(name, { decrypt: true, maxAge: ONCE_PER_COLD_START });
  if (!value) throw new ConfigurationError(`the parameter ${name} is empty`);
  return value;
}

/** Slack chat with the bot token from the SecureString `SLACK_TOKEN_PARAMETER` names. */
export function slackChatFromEnvironment(): ChatPort {
  const tokenParameter = requireEnv('SLACK_TOKEN_PARAMETER');
  return createSlackChat({
    client: createSlackClient({ slackApiUrl: optionalEnv('SLACK_API_URL') }),
    token: () => secureParameter(tokenParameter),
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
