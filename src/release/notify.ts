import type { ChatMessage, Notifier, PostedMessage } from '../platform/notifier.ts';
import type { StepOutput } from '../platform/step.ts';
import { composeNotification, composeRefusal, type NotifyInput } from './messages.ts';
import type { RefusedTarget } from './release.ts';
import type { notifyStep } from './steps.ts';

/** What `notify` returns into the state machine (as the next notify's `notice`). */
export type NotifyResult = StepOutput<typeof notifyStep>;

/**
 * Posts a release event to the target's Slack channel: `started` opens a
 * thread, later events reply in it, a failed rollback is also broadcast to the
 * channel. Never rejects: a chat outage must not fail or stall a release.
 */
export async function notifyRelease(input: NotifyInput, notifier: Notifier): Promise<NotifyResult> {
  const threadTs = input.event === 'started' ? undefined : input.notice?.ts;
  // Replies go to the channel id Slack returned for the thread's first message.
  const channel = (threadTs && input.notice?.channel) || input.request.target.slackChannel;
  const content = composeNotification(input);
  const sent = await postOrExplain(notifier, {
    channel,
    ...content,
    ...(threadTs ? { threadTs, broadcast: input.event === 'rollback-failed' } : {}),
  });
  if ('reason' in sent)
    return { delivered: false, ...(threadTs ? { ts: threadTs } : {}), channel, reason: sent.reason };
  // Slack asks replies to name the thread's parent, not another reply: keep handing on the parent.
  return { delivered: true, ts: threadTs ?? sent.posted.ts, channel: sent.posted.channel };
}

/** Announces a refused target in its channel (a top-level message: no release thread exists); never rejects. */
export async function announceRefusal(refused: RefusedTarget, notifier: Notifier): Promise<NotifyResult> {
  const channel = refused.slackChannel;
  if (channel === undefined) return { delivered: false, channel: '', reason: 'the target names no Slack channel' };
  const sent = await postOrExplain(notifier, { channel, ...composeRefusal(refused) });
  if ('reason' in sent) return { delivered: false, channel, reason: sent.reason };
  return { delivered: true, ts: sent.posted.ts, channel: sent.posted.channel };
}

/** Posts a message; a chat outage comes back as the reason it was not delivered, never as a rejection. */
export async function postOrExplain(
  notifier: Notifier,
  message: ChatMessage,
): Promise<{ posted: PostedMessage } | { reason: string }> {
  try {
    return { posted: await notifier.post(message) };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}
