import type { ChatMessage, Notifier, PostedMessage } from './notifier.ts';

/** An existing message's new content. */
export interface MessageEdit extends PostedMessage {
  text: string;
  blocks: ChatMessage['blocks'];
}

/** Chat as approvals use it: post, edit in place, and read who is in a user group. Rejects when Slack refused. */
export interface ChatPort extends Notifier {
  /** Replaces a message's text and blocks (chat.update). */
  update(edit: MessageEdit): Promise<void>;
  /** A message only `user` sees, in `channel` (chat.postEphemeral). */
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  /** The user ids in a user group (`S…`), briefly cached. */
  groupMembers(groupId: string): Promise<string[]>;
}
