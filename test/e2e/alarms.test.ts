import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buttonsOf } from '../../sandbox/slack/workspace.ts';
import { pushImage } from '../../src/cli/push.ts';
import { E2E_TIME_FACTOR, release, useReleaseSandbox } from './support/e2e.ts';

// Issue 18's alarms, end to end on a fresh sandbox with the demo's production:
// the template's alarms exist in the sandbox's CloudWatch, are evaluated on
// its clock (which the test advances: a day in a step) and post to the alarm
// channel in the Slack stub through the alarm topic and alarmNotify. One story,
// in order: the stale-production alarm fires at start (web/production opts in:
// no release in 24 h); a production release held for approval past 30 minutes
// fires the long-run alarm, whose notice names it; its approval and success
// clear both; a failed staging release (its smoke test answers 500) makes a
// third of the hour's releases failures and fires the failure-rate alarm, which clears
// an hour later; a day without a production release fires the stale alarm again.

const rs = useReleaseSandbox({ timeFactor: E2E_TIME_FACTOR, productionDemo: true });
const STACK = 'release-automation-dev';
const STALE = `${STACK}-no-release-web-production`;
const LONG = `${STACK}-release-running-long`;
const FAILURE_RATE = `${STACK}-release-failure-rate`;
const minutes = (n: number) => n * 60_000;
let cloudwatch: CloudWatchClient;

beforeAll(() => {
  cloudwatch = new CloudWatchClient({
    endpoint: rs.sandbox.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(() => cloudwatch.destroy());

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** DescribeAlarms' state and reason of one alarm once it is `state`. */
const alarmIs = (name: string, state: string) =>
  until(`${name} to be ${state}`, async () => {
    const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    return MetricAlarms[0]?.StateValue === state ? MetricAlarms[0] : undefined;
  });

/** The alarm channel's notice of `name` going to `word` (firing, cleared), the `nth` such. */
const notice = (name: string, word: string, nth = 1) =>
  until(`the notice "${name} ${word}"`, () =>
    rs.sandbox.slack
      .messages()
      .filter((m) => m.channelName === '#release-alarms' && m.text?.includes(`Alarm ${name} ${word}`))
      .at(nth - 1),
  );

describe('the seeds’ alarms', () => {
  it('are the template’s, in the sandbox’s CloudWatch', async () => {
    const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: STACK }));
    expect(MetricAlarms.map((a) => a.AlarmName)).toEqual(expect.arrayContaining([FAILURE_RATE, LONG, STALE]));
  });

  it('stale production: fires at start (no release of web/production in 24 hours)', async () => {
    const alarm = await alarmIs(STALE, 'ALARM');
    expect(alarm.StateReason).toMatch(/^Threshold Crossed: 24 out of the last 24 datapoints/);
    const message = await notice(STALE, 'firing');
    expect(message.text).toContain('No release of web to production has succeeded in the last 24 hours');
  }, 30_000);

  let execution = '';
  it('long run: a production release held for approval 31 minutes fires it, naming the release', async () => {
    await pushImage(rs.target, 'demo/web', 'v7');
    const { lines } = await release(['github-release', 'example/web', 'v7', '--endpoint-url', rs.sandbox.endpoint]);
    execution = /^release started: (arn:\S+)$/.exec(lines[1] ?? '')?.[1] ?? '';
    expect(execution).toContain(':execution:');
    await until('the approval message', () =>
      rs.sandbox.slack.messages().find((m) => m.text?.startsWith('Approval needed: web v7 to production')),
    );
    await alarmIs(LONG, 'OK');
    rs.sandbox.clock.advance(minutes(31));
    await alarmIs(LONG, 'ALARM');
    const message = await notice(LONG, 'firing');
    expect(message.text).toContain(`Oldest: ${execution.split(':').at(-1)}, running since `);
  }, 30_000);

  it('its approval and success clear the long-run and the stale-production alarms', async () => {
    const approval = await until('the approval message', () =>
      rs.sandbox.slack.messages().find((m) => m.text?.startsWith('Approval needed: web v7 to production')),
    );
    const approvalId = buttonsOf(approval.blocks)[0]?.value ?? '';
    expect((await rs.sandbox.slack.clickButton(approval.ts, 'approve', 'U0APPROVER', approvalId)).status).toBe(200);
    await alarmIs(STALE, 'OK');
    await notice(STALE, 'cleared');
    // The last minute still holds the held release's age: a minute later it is gone.
    rs.sandbox.clock.advance(minutes(2));
    await alarmIs(LONG, 'OK');
    await notice(LONG, 'cleared');
  }, 30_000);

  it('failure rate: a failed release of three in the hour fires it; an hour later it clears', async () => {
    await alarmIs(FAILURE_RATE, 'OK');
    // Every request answered 500: the smoke test fails, the release rolls back, its execution FAILS.
    await pushImage(rs.target, 'demo/web', 'v8-err100');
    const alarm = await alarmIs(FAILURE_RATE, 'ALARM');
    // v7's releases (staging by its push, production) succeeded: one failure in three is 33 %.
    expect(Number(/datapoints \[([\d.]+) /.exec(alarm.StateReason ?? '')?.[1])).toBeCloseTo(100 / 3);
    await notice(FAILURE_RATE, 'firing');
    rs.sandbox.clock.advance(minutes(61));
    await alarmIs(FAILURE_RATE, 'OK');
    await notice(FAILURE_RATE, 'cleared');
  }, 40_000);

  it('stale production: a day later without a production release it fires again', async () => {
    rs.sandbox.clock.advance(minutes(24 * 60));
    await alarmIs(STALE, 'ALARM');
    await notice(STALE, 'firing', 2);
  }, 30_000);
});
