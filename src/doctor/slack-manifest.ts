// What a platform team pastes into Slack ("Create an app from a manifest") and
// into GitHub's webhook settings, from the deployed stack's outputs.

/**
 * Every Slack Web API method the code calls, with the bot scope Slack requires
 * for it (docs.slack.dev, each method's "Required scopes"). The manifest asks
 * for these scopes and no more; a unit test fails when the code calls a method
 * that is not here (test/unit/doctor/slack-manifest.test.ts scans src/).
 */
export const SLACK_METHOD_SCOPES: Readonly<Record<string, string>> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'usergroups.users.list': 'usergroups:read',
};

/** The scope a slash command needs, whatever the Web API calls. */
const SLASH_COMMAND_SCOPE = 'commands';

/** The bot scopes the manifest asks for: the methods' scopes and `commands`, sorted, each once. */
export const botScopes = (): string[] =>
  [...new Set([...Object.values(SLACK_METHOD_SCOPES), SLASH_COMMAND_SCOPE])].sort();

/** Raised when the stack has no slack-command URL to put in the manifest. */
export class MissingStackOutputError extends Error {
  override readonly name = 'MissingStackOutputError';
}

const required = (outputs: Readonly<Record<string, string>>, key: string, where: string): string => {
  const value = outputs[key];
  if (value === undefined) {
    throw new MissingStackOutputError(`${where} has no output ${key}: deploy the stack first (npx serverless deploy)`);
  }
  return value;
};

/** A Slack app manifest (schema 1): the /release command and interactivity at the slack-command URL. */
export function slackAppManifest(outputs: Readonly<Record<string, string>>, where: string): Record<string, unknown> {
  const url = required(outputs, 'SlackCommandUrl', where);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'release-automation',
      description: 'Releases to Amazon ECS: approvals, deploys, rollbacks and secret rotation',
    },
    features: {
      bot_user: { display_name: 'release', always_online: true },
      slash_commands: [
        {
          command: '/release',
          url,
          description: 'Approve, deploy, roll back, steer a canary, rotate a secret',
          usage_hint: 'help | status [service] | deploy <service> <tag> [env] | rollback <service> [env]',
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: botScopes() } },
    settings: {
      interactivity: { is_enabled: true, request_url: url },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

/** GitHub's webhook settings (repository → Settings → Webhooks → Add webhook), line by line. */
export function gitHubWebhookSettings(outputs: Readonly<Record<string, string>>, where: string): string[] {
  const url = required(outputs, 'GithubWebhookUrl', where);
  const secret = required(outputs, 'GithubWebhookSecretParameter', where);
  return [
    `Payload URL:   ${url}`,
    'Content type:  application/json',
    `Secret:        the value of the SSM parameter ${secret}`,
    `               (aws ssm get-parameter --name ${secret} --with-decryption --query Parameter.Value --output text)`,
    'SSL:           enable SSL verification',
    'Events:        Let me select individual events → Releases (only)',
    'Active:        yes',
  ];
}
