// The Slack side of the sandbox: a person typing `/release …` or clicking a
// button of a message, as Slack delivers it — a signed form POSTed to the
// app's URL (the slack-command function URL).
import {
  buttonClickBody,
  type SlackAppAnswer,
  sendSignedSlackRequest,
  slashCommandBody,
} from '../../src/slack/wiring.ts';

/** The signing secret the sandbox seeds in SSM (the parameter SLACK_SIGNING_SECRET_PARAMETER names). */
export const SANDBOX_SLACK_SIGNING_SECRET = 'sandbox0signing0secret0d41d8cd98f00b204';

/** What the slack-command function answered. */
export type SlackAnswer = SlackAppAnswer;

/** Where Slack sends requests, and how it signs them. */
export interface SlackPlayerOptions {
  /** The slack-command function URL. */
  url: string;
  signingSecret: string;
  /** Where a button's message is found: the channel of the message with that ts. */
  channelOf?: (messageTs: string) => string | undefined;
}

/** Sends what a Slack user does to the app, signed as Slack signs it. */
export interface SlackPlayer {
  /** `/release approve abc` typed by `user` (a Slack user id, `U…`). */
  sendCommand(line: string, user: string): Promise<SlackAnswer>;
  /** A click on the button `actionId` (approve, reject) carrying `value` (the approval id) in the message `messageTs`. */
  clickButton(messageTs: string, actionId: string, user: string, value: string): Promise<SlackAnswer>;
}

/** A player that POSTs signed requests to `options.url`. */
export function slackPlayer(options: SlackPlayerOptions): SlackPlayer {
  const send = (body: string) => sendSignedSlackRequest(options.url, body, options.signingSecret);
  return {
    sendCommand: (line, user) => send(slashCommandBody(line, user)),
    clickButton: (messageTs, actionId, user, value) =>
      send(
        buttonClickBody({
          actionId,
          value,
          user,
          messageTs,
          channel: options.channelOf?.(messageTs) ?? 'C0SANDBOX01',
        }),
      ),
  };
}
