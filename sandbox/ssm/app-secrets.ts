// The secrets the app's functions read from SSM at cold start (the Slack bot
// token, Slack's signing secret, GitHub's webhook secret), seeded under the
// parameter names the functions' environment gives, with the sandbox's values:
// what a platform team puts in Parameter Store before deploying.
import { SANDBOX_GITHUB_WEBHOOK_SECRET, SANDBOX_SLACK_TOKEN } from '../sandbox-options.ts';
import { SANDBOX_SLACK_SIGNING_SECRET } from '../slack/player.ts';
import type { ParameterStore } from './parameter-store.ts';

/** Puts each app secret whose parameter `environment` names into `parameters`, as a SecureString. */
export function seedAppSecrets(parameters: ParameterStore, environment: Readonly<Record<string, string>>): void {
  const secrets = [
    [environment.SLACK_TOKEN_PARAMETER, SANDBOX_SLACK_TOKEN],
    [environment.SLACK_SIGNING_SECRET_PARAMETER, SANDBOX_SLACK_SIGNING_SECRET],
    [environment.GITHUB_WEBHOOK_SECRET_PARAMETER, SANDBOX_GITHUB_WEBHOOK_SECRET],
  ] as const;
  for (const [name, value] of secrets) {
    if (name) parameters.put({ name, value, type: 'SecureString', overwrite: true });
  }
}
