import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  botScopes,
  gitHubWebhookSettings,
  MissingStackOutputError,
  SLACK_METHOD_SCOPES,
  slackAppManifest,
} from '../../../src/doctor/index.ts';

// The manifest asks for the scopes of the Slack methods the code calls and no
// more: the source is scanned for Web API calls (client.chat.postMessage(…),
// client.usergroups.users.list(…), client.apiCall('…')), so a new call fails
// here until its method and scope are in SLACK_METHOD_SCOPES.

const src = fileURLToPath(new URL('../../../src/', import.meta.url));
const SLACK_FAMILIES =
  'admin|api|apps|assistant|auth|bookmarks|bots|calls|canvases|chat|conversations|dialog|dnd|emoji|files|functions|migration|oauth|openid|pins|reactions|reminders|rtm|search|stars|team|tooling|usergroups|users|views|workflows';
const METHOD_CALL = new RegExp(`\\.((?:${SLACK_FAMILIES})(?:\\.[A-Za-z]+)+)\\(`, 'g');
const API_CALL = /\.apiCall\(\s*['"]([A-Za-z.]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every Slack Web API method called in src/, from the files that use @slack/web-api. */
function calledSlackMethods(): Set<string> {
  const methods = new Set<string>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('@slack/web-api') && !/\bclient\.(chat|usergroups|users|conversations|views)\./.test(text))
      continue;
    for (const pattern of [METHOD_CALL, API_CALL]) {
      for (const match of text.matchAll(pattern)) if (match[1]) methods.add(match[1]);
    }
  }
  return methods;
}

const OUTPUTS = {
  SlackCommandUrl: 'https://abc.lambda-url.us-east-1.on.aws/',
  GithubWebhookUrl: 'https://def.lambda-url.us-east-1.on.aws/',
  GithubWebhookSecretParameter: '/release-automation/prod/github/webhook-secret',
};

describe('the Slack app manifest', () => {
  it('knows the scope of every Slack method the code calls, and of none it does not', () => {
    const called = [...calledSlackMethods()].sort();
    expect(called.length).toBeGreaterThan(0);
    expect(called).toEqual(Object.keys(SLACK_METHOD_SCOPES).sort());
  });

  it('asks for exactly those scopes and the slash command’s', () => {
    expect(botScopes()).toEqual(['chat:write', 'commands', 'usergroups:read']);
  });

  it('points /release and interactivity at the slack-command URL, and reads back as YAML and JSON', async () => {
    const { stringify } = await import('yaml');
    const manifest = slackAppManifest(OUTPUTS, 'stack s');
    for (const text of [stringify(manifest), JSON.stringify(manifest)]) {
      const read = parse(text) as {
        features: { slash_commands: { command: string; url: string }[] };
        settings: { interactivity: { is_enabled: boolean; request_url: string } };
        oauth_config: { scopes: { bot: string[] } };
      };
      expect(read.features.slash_commands).toEqual([
        expect.objectContaining({ command: '/release', url: OUTPUTS.SlackCommandUrl }),
      ]);
      expect(read.settings.interactivity).toEqual({ is_enabled: true, request_url: OUTPUTS.SlackCommandUrl });
      expect(read.oauth_config.scopes.bot).toEqual(botScopes());
    }
  });

  it('prints GitHub’s webhook settings: URL, JSON, the secret’s parameter (never a value), the release event', () => {
    const lines = gitHubWebhookSettings(OUTPUTS, 'stack s').join('\n');
    expect(lines).toContain(`Payload URL:   ${OUTPUTS.GithubWebhookUrl}`);
    expect(lines).toContain('application/json');
    expect(lines).toContain(OUTPUTS.GithubWebhookSecretParameter);
    expect(lines).toContain('Releases (only)');
  });

  it('is refused for a stack without the slack-command URL', () => {
    expect(() => slackAppManifest({}, 'stack s')).toThrow(MissingStackOutputError);
  });
});
