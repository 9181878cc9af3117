import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { buttonClickBody, type SlackAppAnswer, sendSignedSlackRequest, slashCommandBody } from '../slack/wiring.ts';
import { SANDBOX_ENDPOINT, type TargetOptions } from './target.ts';
import { UsageError } from './usage.ts';

export const slackUsage = `Usage: release slack "/release <command> …" --user <U…>
       release slack --click <approve|reject> <approval id> --user <U…>

Plays Slack against the sandbox: sends a slash command, or a click on an
approval message's button, to the slack-command function URL, signed with the
sandbox's signing secret as Slack signs it, and prints the reply.
  --user <U…>           the Slack user id who types or clicks (e.g. U0APPROVER)
  --click <action>      click the approval message's Approve or Reject button
  --channel <C…>        the channel it happens in (default C0SANDBOX01)`;

/** The signing secret's parameter, as serverless.yml names it by default. */
const SIGNING_SECRET_PARAMETER = '/release-automation/slack/signing-secret';

/** What `release slack` was asked to send. */
export interface SlackPlay {
  line?: string;
  click?: { action: string; approvalId: string };
  user: string;
  channel?: string;
}

/** Sends the command or click to the sandbox's slack-command function URL; returns what it answered. */
export async function playSlack(options: TargetOptions, play: SlackPlay): Promise<SlackAppAnswer> {
  if (options.aws)
    throw new UsageError('release slack plays Slack against the sandbox only (Slack itself signs requests in AWS)');
  if (!/^[UW][A-Z0-9]{2,20}$/.test(play.user))
    throw new UsageError(`--user must be a Slack user id (U…), got "${play.user}"`);
  const endpoint = options['endpoint-url'] ?? process.env.AWS_ENDPOINT_URL ?? SANDBOX_ENDPOINT;
  const urls = (await (await fetch(new URL('/_sandbox/function-urls', endpoint))).json()) as Record<string, string>;
  const url = urls.slackCommand;
  if (!url) throw new Error(`the sandbox at ${endpoint} serves no slackCommand function URL`);
  const ssm = new SSMClient({
    endpoint,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
  let secret: string | undefined;
  try {
    secret = (await ssm.send(new GetParameterCommand({ Name: SIGNING_SECRET_PARAMETER, WithDecryption: true })))
      .Parameter?.Value;
  } finally {
    ssm.destroy();
  }
  if (!secret) throw new Error(`the sandbox has no ${SIGNING_SECRET_PARAMETER}`);
  const channel = play.channel ?? 'C0SANDBOX01';
  const body = play.click
    ? buttonClickBody({
        actionId: play.click.action,
        value: play.click.approvalId,
        user: play.user,
        channel,
        messageTs: '0000000000.000000',
      })
    : slashCommandBody(play.line ?? '', play.user, channel);
  return sendSignedSlackRequest(url, body, secret);
}
