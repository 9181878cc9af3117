import { type ChatPostMessageArguments, LogLevel, WebClient } from '@slack/web-api';
import type { ChatMessage, Notifier, PostedMessage } from '../../platform/notifier.ts';

/** Where and how long to talk to Slack. */
export interface SlackClientOptions {
  /** Another Slack Web API (a stub), e.g. `http://127.0.0.1:4000/api/`. */
  slackApiUrl?: string;
}

/**
 * A WebClient that gives up quickly: its defaults retry for minutes and wait
 * out rate limits, which would hold a Lambda (and the release) hostage to a
 * chat outage. Two short retries, a 3 s timeout per request.
 */
export function createSlackClient(options: SlackClientOptions = {}): WebClient {
  return new WebClient(undefined, {
    ...(options.slackApiUrl ? { slackApiUrl: withTrailingSlash(options.slackApiUrl) } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000, randomize: true },
    timeout: 3000,
    rejectRateLimitedCalls: true,
    // The caller logs the outcome once; a warning per failed try is noise.
    logLevel: LogLevel.ERROR,
  });
}

/** What the Slack notifier needs: a client, and the bot token (read when first posting, so a bad token is a failed post). */
export interface SlackNotifierOptions {
  client: WebClient;
  token: () => Promise<string>;
}

/** Posts release messages with chat.postMessage; rejects with Slack's error when it was not delivered. */
export function createSlackNotifier(options: SlackNotifierOptions): Notifier {
  return {
    async post(message: ChatMessage): Promise<PostedMessage> {
      const token = await options.token();
      const base = { token, channel: message.channel, text: message.text, blocks: message.blocks, unfurl_links: false };
      const args: ChatPostMessageArguments = message.threadTs
        ? { ...base, thread_ts: message.threadTs, reply_broadcast: message.broadcast ?? false }
        : base;
      const response = await options.client.chat.postMessage(args);
      if (!response.ts || !response.channel)
        throw new Error('Slack accepted the message but returned no ts or channel');
      return { channel: response.channel, ts: response.ts };
    },
  };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
