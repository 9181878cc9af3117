import type { Context, SNSEvent } from 'aws-lambda';
import { loadConfig } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { type AlarmNoticePorts, postAlarmNotice } from '../../src/release/index.ts';
import { wiredRunningReleases } from '../../src/release/wiring.ts';
import { wiredNotifier } from '../../src/slack/wiring.ts';

type Ports = (context: Context) => AlarmNoticePorts;

/** `alarmNotify` (the alarm topic): each alarm firing, and clearing after it fired, as a message in the alarm channel; throws when Slack refuses (SNS retries). */
export function createAlarmNotifyHandler(deps: { ports: Ports } & Logged) {
  return lambdaHandler(deps.logger, async (event: SNSEvent, context: Context) => {
    for (const record of event.Records ?? []) {
      const { notification, posted } = await postAlarmNotice(record.Sns.Message, deps.ports(context));
      const { AlarmName: alarm, OldStateValue: from, NewStateValue: to } = notification;
      deps.logger.info(posted ? 'alarm notified' : 'alarm change not worth a notice', { alarm, from, to });
    }
  });
}

export const wire = (wiring: Wiring) => {
  const config = loadConfig(wiring.env, ['alarmSlackChannel', 'longReleaseAlarmName']);
  const notifier = wiredNotifier(wiring);
  const running = wiredRunningReleases(wiring);
  return createAlarmNotifyHandler({
    ports: (context) => ({
      notifier,
      channel: config.alarmSlackChannel,
      longRunAlarm: config.longReleaseAlarmName,
      running: () => running(context).list(),
      now: () => new Date(),
    }),
    logger: functionLogger('alarmNotify', wiring.env),
  });
};

export const handler = lambdaEntry(wire);
