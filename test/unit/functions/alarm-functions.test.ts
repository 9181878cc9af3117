import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { SNSEvent } from 'aws-lambda';
import { createAlarmNotifyHandler } from '../../../functions/alarm-notify/handler.ts';
import { createReleaseWatchHandler } from '../../../functions/release-watch/handler.ts';
import type { ChatMessage } from '../../../src/platform/notifier.ts';
import type { AlarmDatum } from '../../../src/release/index.ts';
import { releaseEndedDatum } from '../../../src/release/index.ts';
import { releaseAlarmMetrics } from '../../../src/release/wiring.ts';
import { fakeLambdaContext } from '../../support/fake-lambda-context.ts';

// The alarms' functions: releaseWatch publishes the oldest running release's
// age at the schedule's time; alarmNotify turns CloudWatch's alarm message
// into the alarm channel's notice (naming the oldest release for the long-run
// alarm); finish's alarm metric counts SUCCEEDED releases only, never failing.

afterEach(() => {
  jest.restoreAllMocks();
});

const quiet = (name: string) => {
  const logger = new Logger({ serviceName: name });
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(logger, level).mockImplementation(() => {});
  return logger;
};
const execution = { name: 'web-production-github-1', startDate: new Date('2026-12-06T07:00:00Z') };

describe('releaseWatch', () => {
  it('puts OldestRunningReleaseSeconds at the scheduled event’s time, 0 when nothing runs', async () => {
    const put: AlarmDatum[][] = [];
    let running = [execution, { name: 'newer', startDate: new Date('2026-12-06T07:20:00Z') }];
    const handler = createReleaseWatchHandler({
      running: () => ({ stateMachine: 'release-automation-dev-release', list: async () => running }),
      metrics: { put: async (data) => void put.push([...data]) },
      logger: quiet('releaseWatch'),
    });
    const time = '2026-12-06T07:31:00Z';
    expect(await handler({ time }, fakeLambdaContext('test'))).toEqual({ seconds: 1860, execution: execution.name });
    running = [];
    expect(await handler({ time }, fakeLambdaContext('test'))).toEqual({ seconds: 0 });
    expect(put.map((data) => data[0])).toEqual([
      {
        metricName: 'OldestRunningReleaseSeconds',
        dimensions: { StateMachine: 'release-automation-dev-release' },
        value: 1860,
        unit: 'Seconds',
        at: new Date(time),
      },
      expect.objectContaining({ value: 0 }),
    ]);
  });
});

describe('alarmNotify', () => {
  const snsEvent = (message: Record<string, unknown>) =>
    ({ Records: [{ Sns: { Message: JSON.stringify(message) } }] }) as unknown as SNSEvent;
  const handlerPosting = (posted: ChatMessage[]) =>
    createAlarmNotifyHandler({
      ports: () => ({
        notifier: {
          post: async (message) => {
            posted.push(message);
            return { channel: 'C1', ts: '1.0' };
          },
        },
        channel: '#release-alarms',
        longRunAlarm: 'release-running-long',
        running: async () => [execution],
        now: () => new Date('2026-12-06T07:40:00Z'),
      }),
      logger: quiet('alarmNotify'),
    });

  it('posts what the alarm means and why it changed, escaped, and nothing else of the message', async () => {
    const posted: ChatMessage[] = [];
    await handlerPosting(posted)(
      snsEvent({
        AlarmName: 'release-failure-rate',
        AlarmDescription: 'Over 20 % <failed>',
        NewStateValue: 'ALARM',
        OldStateValue: 'OK',
        NewStateReason: 'Threshold Crossed: 1 out of the last 1 datapoints [50]',
        Trigger: { secret: 'never shown' },
      }),
      fakeLambdaContext('test'),
    );
    expect(posted).toHaveLength(1);
    expect(posted[0]?.channel).toBe('#release-alarms');
    expect(posted[0]?.text).toBe(':rotating_light: Alarm release-failure-rate firing: Over 20 % &lt;failed&gt;');
    expect(JSON.stringify(posted[0]?.blocks)).toContain('OK → ALARM');
    expect(JSON.stringify(posted)).not.toContain('never shown');
  });

  it('names the oldest running release when the long-run alarm fires, not when it clears; no notice of a first OK', async () => {
    const posted: ChatMessage[] = [];
    const handler = handlerPosting(posted);
    const change = (OldStateValue: string, NewStateValue: string) =>
      handler(snsEvent({ AlarmName: 'release-running-long', OldStateValue, NewStateValue }), fakeLambdaContext('test'));
    // A new alarm finding all well has nothing to clear: no notice.
    await change('INSUFFICIENT_DATA', 'OK');
    await change('OK', 'ALARM');
    await change('ALARM', 'OK');
    expect(posted.map((message) => message.text)).toEqual([
      ':rotating_light: Alarm release-running-long firing Oldest: web-production-github-1, running since 2026-12-06T07:00:00.000Z.',
      ':white_check_mark: Alarm release-running-long cleared',
    ]);
  });
});

describe('finish’s alarm metric', () => {
  it('counts SUCCEEDED releases per target only, and a failed put never fails the finish', async () => {
    expect(releaseEndedDatum({ service: 'web', environment: 'production', outcome: 'FAILED' })).toBeUndefined();
    const logger = { warn: jest.fn() };
    const observe = releaseAlarmMetrics({ put: async () => Promise.reject(new Error('throttled')) }, logger);
    await observe({
      service: 'web',
      environment: 'production',
      outcome: 'SUCCEEDED',
      leadTimeSeconds: 1,
      durationSeconds: 2,
    });
    expect(logger.warn).toHaveBeenCalledWith('release metric not published', {
      metric: 'ReleasesSucceeded',
      error: 'Error: throttled',
    });
  });
});
