/** Slack mrkdwn text (escaped by whoever builds it). */
export interface MarkdownText {
  type: 'mrkdwn';
  text: string;
}

/** A Block Kit button; its `value` comes back in the click's payload. */
export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string };
  value: string;
  style?: 'primary' | 'danger';
}

/** The Block Kit blocks release messages use. */
export type MessageBlock =
  | { type: 'section'; text: MarkdownText; fields?: MarkdownText[] }
  | { type: 'context'; elements: MarkdownText[] }
  | { type: 'actions'; block_id?: string; elements: ButtonElement[] };

/** One chat message: a new one in `channel`, or a reply in the thread of `threadTs`. */
export interface ChatMessage {
  channel: string;
  /** The plain fallback shown in notifications; says everything the blocks say that matters. */
  text: string;
  blocks: MessageBlock[];
  threadTs?: string;
  /** Also show a thread reply in the channel. */
  broadcast?: boolean;
}

/** Where a message landed: the channel's id and the message's timestamp. */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Posts release messages to chat; rejects when the message was not delivered. */
export interface Notifier {
  post(message: ChatMessage): Promise<PostedMessage>;
}
