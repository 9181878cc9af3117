import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import { SandboxClock } from '../../../sandbox/clock.ts';
import type { AlarmNotification } from '../../../sandbox/cloudwatch/alarms.ts';
import { CloudWatchEmulator } from '../../../sandbox/cloudwatch/emulator.ts';
import { parseExpression } from '../../../sandbox/cloudwatch/metric-math.ts';
import { MetricStore } from '../../../sandbox/cloudwatch/metric-store.ts';
import { sdkConfig } from '../support/clients.ts';

// The sandbox's metric alarms through the SDK: PutMetricAlarm's checks, each
// TreatMissingData, M of N, metric math, SetAlarmState, DeleteAlarms, and the
// notifications a change of state sends the alarm's SNS topics, on a clock the
// test moves.

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:alarms';
const minute = 60_000;
let endpoint: AwsEndpoint;
let client: CloudWatchClient;
let clock: SandboxClock;
let emulator: CloudWatchEmulator;
const sent: { action: string; notification: AlarmNotification }[] = [];

beforeAll(async () => {
  clock = new SandboxClock();
  // Minute-aligned: the test's datapoints fall where it means them to.
  clock.advance(minute - (Date.now() % minute) + 1000);
  emulator = new CloudWatchEmulator(new MetricStore({ now: () => clock.now() }), {
    location: { accountId: '000000000000', region: 'us-east-1' },
    notify: (action, notification) => sent.push({ action, notification }),
  });
  endpoint = await startAwsEndpoint({ port: 0, emulators: [emulator] });
  client = new CloudWatchClient(sdkConfig(endpoint.url));
});

afterAll(async () => {
  client.destroy();
  await endpoint.close();
});

beforeEach(() => {
  sent.length = 0;
});

const put = (name: string, value: number, minutesAgo = 0.5) =>
  client.send(
    new PutMetricDataCommand({
      Namespace: 'Test',
      MetricData: [{ MetricName: name, Value: value, Timestamp: new Date(clock.now() - minutesAgo * minute) }],
    }),
  );

const alarm = (name: string, input: Partial<PutMetricAlarmCommandInput>): Promise<unknown> =>
  client.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'Test',
      MetricName: name,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
      ...input,
    } as PutMetricAlarmCommandInput),
  );

async function stateOf(name: string): Promise<string | undefined> {
  emulator.alarms.evaluate();
  const { MetricAlarms = [] } = await client.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return MetricAlarms[0]?.StateValue;
}

describe('TreatMissingData', () => {
  it.each([
    ['missing', 'INSUFFICIENT_DATA'],
    ['breaching', 'ALARM'],
    ['notBreaching', 'OK'],
    ['ignore', 'INSUFFICIENT_DATA'],
  ])('%s: with no data the alarm is %s', async (treatment, state) => {
    await alarm(`empty-${treatment}`, { TreatMissingData: treatment });
    expect(await stateOf(`empty-${treatment}`)).toBe(state);
  });

  it('ignore keeps the state through missing data; missing goes to INSUFFICIENT_DATA', async () => {
    await alarm('kept', { TreatMissingData: 'ignore' });
    await alarm('unknown', { TreatMissingData: 'missing', MetricName: 'kept' });
    await put('kept', 9);
    expect(await stateOf('kept')).toBe('ALARM');
    expect(await stateOf('unknown')).toBe('ALARM');
    clock.advance(5 * minute);
    expect(await stateOf('kept')).toBe('ALARM');
    expect(await stateOf('unknown')).toBe('INSUFFICIENT_DATA');
  });
});

describe('evaluation', () => {
  it('M of N: 2 breaching datapoints of the last 3 make ALARM, 1 does not', async () => {
    await alarm('m-of-n', { EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' });
    await put('m-of-n', 9, 2.5);
    await put('m-of-n', 1, 1.5);
    await put('m-of-n', 1, 0.5);
    expect(await stateOf('m-of-n')).toBe('OK');
    await put('m-of-n', 9, 0.5);
    expect(await stateOf('m-of-n')).toBe('ALARM');
    const { MetricAlarms = [] } = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['m-of-n'] }));
    expect(MetricAlarms[0]?.StateReason).toMatch(/^Threshold Crossed: 2 out of the last 3 datapoints/);
    expect(sent.map((s) => [s.action, s.notification.OldStateValue, s.notification.NewStateValue])).toEqual([
      [TOPIC, 'INSUFFICIENT_DATA', 'OK'],
      [TOPIC, 'OK', 'ALARM'],
    ]);
  });

  it('metric math: a failure rate with FILL and a division by zero as missing', async () => {
    const metric = (id: string, name: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: { Metric: { Namespace: 'Test', MetricName: name }, Period: 3600, Stat: 'Sum' },
    });
    await client.send(
      new PutMetricAlarmCommand({
        AlarmName: 'rate',
        Metrics: [
          metric('failed', 'RateFailed'),
          metric('succeeded', 'RateSucceeded'),
          { Id: 'rate', Expression: '100 * FILL(failed, 0) / (FILL(failed, 0) + FILL(succeeded, 0))' },
        ],
        EvaluationPeriods: 1,
        Threshold: 20,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [TOPIC],
      }),
    );
    expect(await stateOf('rate')).toBe('OK');
    await put('RateSucceeded', 4);
    expect(await stateOf('rate')).toBe('OK');
    await put('RateFailed', 1);
    expect(await stateOf('rate')).toBe('OK'); // 20 % is not over 20 %
    await put('RateFailed', 1);
    expect(await stateOf('rate')).toBe('ALARM');
    clock.advance(61 * minute);
    expect(await stateOf('rate')).toBe('OK');
  });

  it('parses the metric math it evaluates, and nothing else', () => {
    const values: Record<string, number> = { a: 3, b: 0 };
    const of = (text: string) => parseExpression(text).evaluate((id) => values[id]);
    expect(of('a + 2 * 3 - 1')).toBe(8);
    expect(of('(a + 1) / 2')).toBe(2);
    expect(of('a / b')).toBeUndefined();
    expect(of('IF(a > 2, 1, 0)')).toBe(1);
    expect(of('IF(b, 1)')).toBeUndefined();
    expect(of('FILL(c, 7) + -a')).toBe(4);
    expect(() => parseExpression('RATE(a)')).toThrow(/no function RATE/);
    expect(() => parseExpression('a +')).toThrow(SyntaxError);
  });
});

describe('PutMetricAlarm refuses what CloudWatch refuses', () => {
  it.each([
    ['a period that is no multiple of 60', { Period: 90 }, 'InvalidParameterValueException'],
    ['over a day at a period under an hour', { Period: 60, EvaluationPeriods: 1441 }, 'InvalidParameterValueException'],
    ['over 7 days', { Period: 3600, EvaluationPeriods: 169 }, 'InvalidParameterValueException'],
    [
      'DatapointsToAlarm over EvaluationPeriods',
      { EvaluationPeriods: 2, DatapointsToAlarm: 3 },
      'InvalidParameterValueException',
    ],
    ['both Statistic and ExtendedStatistic', { ExtendedStatistic: 'p99' }, 'InvalidParameterCombinationException'],
    ['an unknown TreatMissingData', { TreatMissingData: 'sometimes' }, 'InvalidParameterValueException'],
    [
      'an action that is no SNS topic',
      { AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] },
      'InvalidParameterValueException',
    ],
  ])('%s', async (_, input, name) => {
    await expect(alarm('refused', input)).rejects.toMatchObject({ name });
  });

  it('a 24-hour alarm of hourly periods is accepted (the stale-production shape)', async () => {
    await alarm('stale', {
      Period: 3600,
      EvaluationPeriods: 24,
      TreatMissingData: 'breaching',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(await stateOf('stale')).toBe('ALARM');
  });

  it('metric math it does not evaluate is refused, naming the function', async () => {
    await expect(
      client.send(
        new PutMetricAlarmCommand({
          AlarmName: 'anomaly',
          Metrics: [
            {
              Id: 'm',
              ReturnData: false,
              MetricStat: { Metric: { Namespace: 'Test', MetricName: 'x' }, Period: 60, Stat: 'Sum' },
            },
            { Id: 'e', Expression: 'ANOMALY_DETECTION_BAND(m)' },
          ],
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/ANOMALY_DETECTION_BAND/),
    });
  });
});

describe('DescribeAlarms, SetAlarmState, DeleteAlarms', () => {
  it('filters by state and prefix, pages, sets a state until the next evaluation, deletes all or none', async () => {
    for (const n of [1, 2, 3]) await alarm(`page-${n}`, { TreatMissingData: 'breaching' });
    emulator.alarms.evaluate();
    const first = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2 }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['page-1', 'page-2']);
    const second = await client.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2, NextToken: first.NextToken }),
    );
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['page-3']);
    expect(second.NextToken).toBeUndefined();

    await client.send(new SetAlarmStateCommand({ AlarmName: 'page-1', StateValue: 'OK', StateReason: 'testing' }));
    const ok = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', StateValue: 'OK' }));
    expect(ok.MetricAlarms?.map((a) => [a.AlarmName, a.StateReason])).toEqual([['page-1', 'testing']]);
    expect(await stateOf('page-1')).toBe('ALARM');

    await expect(
      client.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
    await expect(client.send(new DeleteAlarmsCommand({ AlarmNames: ['page-1', 'nope'] }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
    await client.send(new DeleteAlarmsCommand({ AlarmNames: ['page-1', 'page-2'] }));
    const left = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-' }));
    expect(left.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['page-3']);
  });
});
