import * as z from 'zod';
import type { ChatMessage, Notifier } from '../platform/notifier.ts';
import { parseEvent } from '../platform/parse-event.ts';
import { escapeText } from './messages.ts';
import type { ReleaseOutcome } from './record.ts';

// The release alarms' side of the product (README, Alarms): the custom
// metrics they watch and the Slack message a change of an alarm's state
// becomes. Metrics, in the stack's metrics namespace (ReleaseAutomation):
//   ReleasesSucceeded (Count, dimensions Service, Environment): 1 at each
//     release of a catalog target that ends SUCCEEDED (finish);
//   OldestRunningReleaseSeconds (Seconds, dimension StateMachine): the age of
//     the oldest RUNNING release execution, 0 when none runs (release-watch,
//     each minute).

export const ALARM_METRICS = {
  releasesSucceeded: 'ReleasesSucceeded',
  oldestRunningRelease: 'OldestRunningReleaseSeconds',
} as const;

/** The namespace of the alarms' metrics when the environment names none. */
export const DEFAULT_METRICS_NAMESPACE = 'ReleaseAutomation';

/** One datum of the alarms' metrics: a name, its dimensions, a value, when (undefined: CloudWatch's now). */
export interface AlarmDatum {
  metricName: string;
  dimensions: Record<string, string>;
  value: number;
  unit: 'Count' | 'Seconds';
  at?: Date;
}

/** Where the alarms' metrics go (CloudWatch PutMetricData). */
export interface AlarmMetricsPort {
  put(data: readonly AlarmDatum[]): Promise<void>;
}

/** The datum a release that just ended adds, if any: only a SUCCEEDED one counts. */
export function releaseEndedDatum(ended: {
  service: string;
  environment: string;
  outcome: ReleaseOutcome;
}): AlarmDatum | undefined {
  if (ended.outcome !== 'SUCCEEDED') return undefined;
  return {
    metricName: ALARM_METRICS.releasesSucceeded,
    dimensions: { Service: ended.service, Environment: ended.environment },
    value: 1,
    unit: 'Count',
  };
}

/** A running execution as ListExecutions shows it. */
export interface RunningExecution {
  name: string;
  startDate: Date;
}

/** The oldest running execution and its age at `now` in whole seconds (0 and none when nothing runs). */
export function oldestRunning(
  executions: readonly RunningExecution[],
  now: Date,
): { seconds: number; execution?: RunningExecution } {
  const oldest = [...executions].sort((a, b) => a.startDate.getTime() - b.startDate.getTime())[0];
  if (!oldest) return { seconds: 0 };
  return { seconds: Math.max(0, Math.floor((now.getTime() - oldest.startDate.getTime()) / 1000)), execution: oldest };
}

/** CloudWatch's alarm message (the SNS notification's Message), the fields the notice shows. */
export const alarmNotificationSchema = z.looseObject({
  AlarmName: z.string().min(1),
  AlarmDescription: z.string().nullish(),
  NewStateValue: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  OldStateValue: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']).optional(),
  NewStateReason: z.string().optional(),
  StateChangeTime: z.string().optional(),
});
export type AlarmNotification = z.infer<typeof alarmNotificationSchema>;

const ICONS = { ALARM: ':rotating_light:', OK: ':white_check_mark:', INSUFFICIENT_DATA: ':grey_question:' } as const;
const WORDS = { ALARM: 'firing', OK: 'cleared', INSUFFICIENT_DATA: 'has too little data' } as const;

/**
 * The Slack message of an alarm's change of state: its name, what it means
 * (the description the template gives it) and CloudWatch's reason. Nothing
 * else is read from the notification: no secret can reach the channel.
 */
export function alarmMessage(notification: AlarmNotification, channel: string, detail?: string): ChatMessage {
  const { AlarmName: name, NewStateValue: state } = notification;
  const text = `${ICONS[state]} Alarm ${escapeText(name)} ${WORDS[state]}${
    notification.AlarmDescription ? `: ${escapeText(notification.AlarmDescription)}` : ''
  }${detail ? ` ${escapeText(detail)}` : ''}`;
  const context = [
    `${notification.OldStateValue ?? '?'} → ${state}${notification.StateChangeTime ? ` at ${notification.StateChangeTime}` : ''}`,
    ...(notification.NewStateReason ? [escapeText(notification.NewStateReason)] : []),
  ];
  return {
    channel,
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: context.map((line) => ({ type: 'mrkdwn' as const, text: line.slice(0, 2900) })) },
    ],
  };
}

/** What posting an alarm's notice needs. */
export interface AlarmNoticePorts {
  notifier: Notifier;
  channel: string;
  /** The long-running-release alarm: its notice names the oldest running release. */
  longRunAlarm: string;
  running: () => Promise<RunningExecution[]>;
  now: () => Date;
}

/** Whether a change of state is worth a notice: ALARM, and OK after ALARM (an alarm that first finds all well has nothing to clear). */
export const isNoticeworthy = ({ NewStateValue: state, OldStateValue: old }: AlarmNotification): boolean =>
  state === 'ALARM' || (state === 'OK' && old === 'ALARM');

/**
 * Posts the notice of one alarm notification (the SNS message, JSON), if it
 * is worth one (`posted`); rejects when Slack refuses it.
 */
export async function postAlarmNotice(
  message: string,
  ports: AlarmNoticePorts,
): Promise<{ notification: AlarmNotification; posted: boolean }> {
  const notification = parseEvent(alarmNotificationSchema, JSON.parse(message));
  if (!isNoticeworthy(notification)) return { notification, posted: false };
  let detail: string | undefined;
  if (notification.AlarmName === ports.longRunAlarm && notification.NewStateValue === 'ALARM') {
    const { execution } = oldestRunning(await ports.running(), ports.now());
    if (execution) detail = `Oldest: ${execution.name}, running since ${execution.startDate.toISOString()}.`;
  }
  await ports.notifier.post(alarmMessage(notification, ports.channel, detail));
  return { notification, posted: true };
}
