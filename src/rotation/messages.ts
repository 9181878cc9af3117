import { bounded } from '../platform/message-text.ts';
import type { ChatMessage, Notifier } from '../platform/notifier.ts';
import { postOrExplain } from '../release/index.ts';

// What a rotation tells Slack when it ends. Built from references only
// (parameter, versions, services, error names and causes): a rotation's
// messages never carry a value, because nothing that reaches here holds one.

export const ROTATION_OUTCOMES = ['ROTATED', 'FAILED', 'ROLL_FAILED', 'REFUSED'] as const;
export type RotationOutcome = (typeof ROTATION_OUTCOMES)[number];

/** One dependent service's roll, as the state machine's Map returns it. */
export interface RollOutcome {
  service: string;
  environment: string;
  failed: boolean;
  reason?: string;
}

/** What `notifyRotation` reports. */
export interface RotationNotice {
  parameter: string;
  rotationId: string;
  requestedBy?: string;
  outcome: RotationOutcome;
  published?: { version: number; previousVersion?: number };
  rolls?: RollOutcome[];
  error?: { Error: string; Cause?: string };
  /** A FAILED rotation that had already written the parameter (it failed while labelling). */
  publishedAnyway?: boolean;
}

/** The chat message for a rotation's end; a failure is a loud one (`@here`). */
export function composeRotationMessage(notice: RotationNotice, channel: string): ChatMessage {
  const { parameter, rotationId, outcome } = notice;
  const failedRolls = (notice.rolls ?? []).filter((roll) => roll.failed);
  const rolled = (notice.rolls ?? []).map(
    (roll) => `${roll.service}/${roll.environment}${roll.failed ? ' (rolled back)' : ''}`,
  );
  const version = notice.published ? ` as version ${notice.published.version}` : '';
  const headline = {
    ROTATED: `:key: \`${parameter}\` rotated${version}`,
    FAILED: notice.publishedAnyway
      ? `<!here> :x: rotation of \`${parameter}\` failed after publishing its new value: no service was rolled and the labels were not moved; roll the services, then label the latest version current`
      : `<!here> :x: rotation of \`${parameter}\` failed; nothing was published, the current value stays`,
    REFUSED: `<!here> :no_entry: rotation of \`${parameter}\` refused: a service still runs on the credential it would reset; nothing was changed, roll the service and rotate again`,
    ROLL_FAILED: `<!here> :warning: \`${parameter}\` rotated${version}, but ${failedRolls.length} service(s) failed to roll and were rolled back: ${failedRolls.map((r) => `${r.service}/${r.environment}`).join(', ')}`,
  }[outcome];
  const details = [
    `rotation \`${rotationId}\`${notice.requestedBy ? ` by ${notice.requestedBy}` : ''}`,
    // A refused rotation rolled nothing, and its error names the services.
    ...(outcome === 'REFUSED' ? [] : [rolled.length > 0 ? `services: ${rolled.join(', ')}` : 'no services to roll']),
    ...failedRolls.flatMap((roll) => (roll.reason ? [`${roll.service}/${roll.environment}: ${roll.reason}`] : [])),
    ...(notice.error ? [`${notice.error.Error}: ${notice.error.Cause ?? ''}`] : []),
  ];
  const text = bounded([headline, ...details].join('\n'));
  return {
    channel,
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: headline } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: bounded(details.join('\n')) }] },
    ],
  };
}

/** Posts a rotation's outcome; never rejects: a chat outage must not fail a rotation that happened. */
export async function notifyRotation(
  notice: RotationNotice,
  channel: string,
  notifier: Notifier,
): Promise<{ delivered: boolean; reason?: string }> {
  const sent = await postOrExplain(notifier, composeRotationMessage(notice, channel));
  return 'reason' in sent ? { delivered: false, reason: sent.reason } : { delivered: true };
}
