// A one-bot Slack workspace: the Web API methods the functions call, with
// Slack's answers (`ok`, `ts`, channel ids, error codes), and every message
// kept for tests and printed for the person watching the sandbox.
import { createHash } from 'node:crypto';

/** A message as the workspace holds it now (edits applied). */
export interface SlackMessage {
  /** The channel id (`C…`), as Slack answers. */
  channel: string;
  /** The name it was posted to, when it was posted by name (`#releases`). */
  channelName?: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  /** Set for chat.postEphemeral: only this user sees it. */
  ephemeralTo?: string;
  /** How many times chat.update changed it. */
  edits: number;
}

export type SlackAnswer = Record<string, unknown> & { ok: boolean };

/** The terminal shows the start of long messages; tests read them whole from messages(). */
const MAX_PRINTED = 300;
const TEAM = { team: 'Sandbox', team_id: 'T0SANDBOX', url: 'https://sandbox.slack.com/' };
const BOT = { user: 'release-bot', user_id: 'U0SANDBOXBOT', bot_id: 'B0SANDBOX', app_id: 'A0SANDBOX' };

export class SlackWorkspace {
  /** The bot token calls must carry. */
  readonly token: string;
  readonly #messages: SlackMessage[] = [];
  /** Channel names by id, as messages named them, so the terminal shows `#releases` for replies by id too. */
  readonly #names = new Map<string, string>();
  readonly #print: (line: string) => void;
  /** User groups (`S…`) and their members, for usergroups.users.list. */
  readonly #groups = new Map<string, string[]>();
  #lastTs = 0;

  constructor(token: string, print: (line: string) => void) {
    this.token = token;
    this.#print = print;
  }

  /** Makes `groupId` a user group of these members (replacing any earlier ones). */
  setGroup(groupId: string, members: readonly string[]): void {
    this.#groups.set(groupId, [...members]);
  }

  messages(): SlackMessage[] {
    return this.#messages.map((message) => ({ ...message }));
  }

  call(method: string, token: string | undefined, args: Record<string, unknown>): SlackAnswer {
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== this.token) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          ...TEAM,
          user: BOT.user,
          user_id: BOT.user_id,
          bot_id: BOT.bot_id,
          is_enterprise_install: false,
        };
      case 'chat.postMessage':
        return this.#post(args);
      case 'chat.postEphemeral': {
        if (typeof args.user !== 'string') return { ok: false, error: 'user_not_found' };
        const answer = this.#post(args, args.user);
        return answer.ok ? { ok: true, message_ts: answer.ts } : answer;
      }
      case 'chat.update':
        return this.#update(args);
      case 'usergroups.users.list': {
        const members = typeof args.usergroup === 'string' ? this.#groups.get(args.usergroup) : undefined;
        return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method', req_method: method };
    }
  }

  #post(args: Record<string, unknown>, ephemeralTo?: string): SlackAnswer {
    const target = typeof args.channel === 'string' ? args.channel : '';
    if (target === '') return { ok: false, error: 'channel_not_found' };
    if (!hasContent(args)) return { ok: false, error: 'no_text' };
    const channel = channelId(target);
    const message: SlackMessage = {
      channel,
      ...(channel === target ? {} : { channelName: target.startsWith('#') ? target : `#${target}` }),
      ts: this.#nextTs(),
      ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
      ...content(args),
      ...(ephemeralTo ? { ephemeralTo } : {}),
      edits: 0,
    };
    if (message.channelName) this.#names.set(channel, message.channelName);
    this.#messages.push(message);
    this.#show(
      message,
      ephemeralTo ? `only for ${ephemeralTo}` : message.threadTs ? `in thread ${message.threadTs}` : '',
    );
    return { ok: true, channel, ts: message.ts, message: asSlackMessage(message) };
  }

  #update(args: Record<string, unknown>): SlackAnswer {
    const channel = typeof args.channel === 'string' ? channelId(args.channel) : '';
    const message = this.#messages.find((item) => item.channel === channel && item.ts === args.ts);
    if (!message) return { ok: false, error: channel ? 'message_not_found' : 'channel_not_found' };
    if (!hasContent(args)) return { ok: false, error: 'no_text' };
    Object.assign(message, content(args), { edits: message.edits + 1 });
    this.#show(message, `edited ${message.ts}`);
    return { ok: true, channel, ts: message.ts, text: message.text ?? '', message: asSlackMessage(message) };
  }

  /** Slack ts values: seconds and a 6-digit sequence, unique and increasing in a channel. */
  #nextTs(): string {
    this.#lastTs = Math.max(this.#lastTs + 1, Date.now() * 1000);
    const seconds = Math.floor(this.#lastTs / 1_000_000);
    return `${seconds}.${String(this.#lastTs % 1_000_000).padStart(6, '0')}`;
  }

  #show(message: SlackMessage, note: string): void {
    const where = this.#names.get(message.channel) ?? message.channel;
    const text = readableText(message);
    const shown = text.length > MAX_PRINTED ? `${text.slice(0, MAX_PRINTED)}…` : text;
    this.#print(`slack ${where}${note ? ` (${note})` : ''}: ${shown}`);
    for (const button of buttonsOf(message.blocks)) {
      this.#print(
        `  [${button.label}] npx release slack --click ${button.actionId} ${button.value} --user <U…>` +
          ` (or: npx release slack "/release ${button.actionId} ${button.value}" --user <U…>)`,
      );
    }
  }
}

/** Channel names get stable ids (`#releases` → `C…`), as every name has one id in Slack. */
export function channelId(nameOrId: string): string {
  if (/^[CGD][A-Z0-9]{6,}$/.test(nameOrId)) return nameOrId;
  const name = nameOrId.replace(/^#/, '');
  return `C${createHash('sha256').update(name).digest('hex').slice(0, 10).toUpperCase()}`;
}

function hasContent(args: Record<string, unknown>): boolean {
  return (
    (typeof args.text === 'string' && args.text !== '') || args.blocks !== undefined || args.attachments !== undefined
  );
}

function content(args: Record<string, unknown>): Pick<SlackMessage, 'text' | 'blocks' | 'attachments'> {
  return {
    ...(typeof args.text === 'string' ? { text: args.text } : {}),
    ...(args.blocks === undefined ? {} : { blocks: args.blocks }),
    ...(args.attachments === undefined ? {} : { attachments: args.attachments }),
  };
}

function asSlackMessage(message: SlackMessage): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: message.text ?? '',
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
    user: BOT.user_id,
    bot_id: BOT.bot_id,
    app_id: BOT.app_id,
    team: TEAM.team_id,
  };
}

/** The text a person would read: the message's text (Slack's notification text), else the text of its blocks. */
export function readableText(message: Pick<SlackMessage, 'text' | 'blocks'>): string {
  if (message.text) return message.text.replace(/\s*\n\s*/g, ' / ');
  const texts: string[] = [];
  const collect = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      const node = value as Record<string, unknown>;
      if (typeof node.text === 'string') texts.push(node.text);
      else collect(node.text);
      collect(node.fields);
      collect(node.elements);
    }
  };
  collect(message.blocks);
  return texts.join(' | ').replace(/\s*\n\s*/g, ' / ');
}

/** The buttons of a message's actions blocks (what a person could click). */
export function buttonsOf(blocks: unknown): { label: string; actionId: string; value: string }[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block: { type?: unknown; elements?: unknown }) =>
    block?.type === 'actions' && Array.isArray(block.elements)
      ? block.elements
          .filter((element: Record<string, unknown>) => element?.type === 'button')
          .map((element: { text?: { text?: unknown }; action_id?: unknown; value?: unknown }) => ({
            label: String(element.text?.text ?? ''),
            actionId: String(element.action_id ?? ''),
            value: String(element.value ?? ''),
          }))
      : [],
  );
}
