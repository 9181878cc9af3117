// Requests as Slack sends them to a slash command's or an app's interactivity
// URL: a form body, signed with the app's signing secret (v0).
import { slackSignature } from '../signature.ts';

/** A request ready to POST: its body and Slack's headers. */
export interface SignedSlackRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signs `body` as Slack would at `timestamp` (Unix seconds; now by default). */
export function signSlackBody(
  body: string,
  signingSecret: string,
  timestamp = Math.floor(Date.now() / 1000),
): SignedSlackRequest {
  const ts = String(timestamp);
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${slackSignature(body, ts, signingSecret)}`,
    },
  };
}

/** The form of a slash command: `/release approve abc` typed by `user` in `channel`. */
export function slashCommandBody(line: string, user: string, channel = 'C0SANDBOX01', responseUrl?: string): string {
  const match = /^(\/\S+)\s*(.*)$/s.exec(line.trim());
  const command = match?.[1] ?? '/release';
  const text = match ? (match[2] ?? '') : line.trim();
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0SANDBOX',
    team_domain: 'sandbox',
    channel_id: channel,
    channel_name: 'releases',
    user_id: user,
    user_name: user.toLowerCase(),
    command,
    text,
    api_app_id: 'A0SANDBOX',
    response_url: responseUrl ?? 'https://hooks.slack.com/commands/T0SANDBOX/1/sandbox',
    trigger_id: `${Date.now()}.sandbox`,
  }).toString();
}

/** The form of a click on a button (`block_actions`) of the message `messageTs` in `channel`. */
export function buttonClickBody(click: {
  actionId: string;
  value: string;
  user: string;
  channel: string;
  messageTs: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0SANDBOX', domain: 'sandbox' },
    user: { id: click.user, username: click.user.toLowerCase(), team_id: 'T0SANDBOX' },
    api_app_id: 'A0SANDBOX',
    container: { type: 'message', message_ts: click.messageTs, channel_id: click.channel, is_ephemeral: false },
    channel: { id: click.channel, name: 'releases' },
    message: { ts: click.messageTs, type: 'message' },
    response_url: 'https://hooks.slack.com/actions/T0SANDBOX/1/sandbox',
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: `approval:${click.value}`,
        value: click.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** What an app's URL answered a signed request. */
export interface SlackAppAnswer {
  status: number;
  /** A slash command's reply text (empty for a click, whose effects show in the messages). */
  text: string;
  /** `ephemeral` (only the user sees it) or `in_channel`. */
  responseType?: string;
}

/** POSTs `body` signed with `signingSecret` to an app's URL, as Slack does, and reads the answer. */
export async function sendSignedSlackRequest(
  url: string,
  body: string,
  signingSecret: string,
): Promise<SlackAppAnswer> {
  const signed = signSlackBody(body, signingSecret);
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
  const text = await response.text();
  if (response.status !== 200 || text === '') return { status: response.status, text };
  try {
    const reply = JSON.parse(text) as { text?: string; response_type?: string };
    return {
      status: 200,
      text: reply.text ?? '',
      ...(reply.response_type ? { responseType: reply.response_type } : {}),
    };
  } catch {
    return { status: response.status, text };
  }
}
