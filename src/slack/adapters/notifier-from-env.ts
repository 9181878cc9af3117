import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { optionalEnv, requireEnv } from '../../platform/env.ts';
import { ConfigurationError } from '../../platform/errors.ts';
import type { Notifier } from '../../platform/notifier.ts';
import { createSlackClient, createSlackNotifier } from './slack-client.ts';

// Read once per container: a rotated token is picked up by the next cold start.
const TOKEN_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** The Slack notifier the functions post with: the bot token from the SecureString `SLACK_TOKEN_PARAMETER` names. */
export function slackNotifierFromEnvironment(): Notifier {
  const tokenParameter = requireEnv('SLACK_TOKEN_PARAMETER');
  return createSlackNotifier({
    client: createSlackClient({ slackApiUrl: optionalEnv('SLACK_API_URL') }),
    token: async () => {
      // Powertools caches only values it got, so a failed read is tried again next time.
      const token = await getParameter(tokenParameter, { decrypt: true, maxAge: TOKEN_MAX_AGE_SECONDS });
      if (!token) throw new ConfigurationError(`the Slack token parameter ${tokenParameter} is empty`);
      return token;
    },
  });
}
