import type { WebClient } from '@slack/web-api';
import type { ChatPort } from '../../platform/chat.ts';
import { createSlackNotifier } from './slack-client.ts';

/** What the chat adapter needs: a client (createSlackClient), the bot token, a clock for its cache. */
export interface SlackChatOptions {
  client: WebClient;
  token: () => Promise<string>;
  now?: () => number;
  /** How long a user group's members are remembered (default 60 s): a removed approver loses the right within it. */
  groupCacheMs?: number;
}

/** chat.postMessage, chat.update and usergroups.users.list; rejects with Slack's error code when refused. */
export function createSlackChat(options: SlackChatOptions): ChatPort {
  const { client, token } = options;
  const now = options.now ?? Date.now;
  const cacheMs = options.groupCacheMs ?? 60_000;
  const groups = new Map<string, { members: string[]; until: number }>();
  return {
    ...createSlackNotifier({ client, token }),
    async update(edit) {
      await client.chat.update({
        token: await token(),
        channel: edit.channel,
        ts: edit.ts,
        text: edit.text,
        blocks: edit.blocks,
      });
    },
    async postEphemeral(channel, user, text) {
      await client.chat.postEphemeral({ token: await token(), channel, user, text });
    },
    async groupMembers(groupId) {
      const cached = groups.get(groupId);
      if (cached && cached.until > now()) return cached.members;
      const response = await client.usergroups.users.list({ token: await token(), usergroup: groupId });
      const members = response.users ?? [];
      groups.set(groupId, { members, until: now() + cacheMs });
      return members;
    },
  };
}
