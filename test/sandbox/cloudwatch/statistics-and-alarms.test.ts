import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  type GetMetricStatisticsCommandInput,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import { CloudWatchEmulator } from '../../../sandbox/cloudwatch/emulator.ts';
import { MetricStore } from '../../../sandbox/cloudwatch/metric-store.ts';
import { sdkConfig } from '../support/clients.ts';

// GetMetricStatistics and DescribeAlarms through the SDK v3 CloudWatch client
// (JSON 1.0, query-compatible errors) against the sandbox's endpoint.

const minute = 60_000;
const base = Math.floor(Date.now() / minute) * minute - 10 * minute; // a minute boundary, ten minutes ago
const Dimensions = [{ Name: 'Service', Value: 'web' }];
let endpoint: AwsEndpoint;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  endpoint = await startAwsEndpoint({ port: 0, emulators: [new CloudWatchEmulator(new MetricStore())] });
  cloudwatch = new CloudWatchClient(sdkConfig(endpoint.url));
  // Minute 0: latencies 1..100 ms; minute 2: one slow request.
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'Demo',
      MetricData: [
        {
          MetricName: 'Latency',
          Dimensions,
          Timestamp: new Date(base + 1000),
          Values: Array.from({ length: 100 }, (_, i) => i + 1),
          Unit: 'Milliseconds',
        },
        { MetricName: 'Latency', Dimensions, Timestamp: new Date(base + 2 * minute + 5000), Value: 900 },
      ],
    }),
  );
});

afterAll(async () => {
  cloudwatch.destroy();
  await endpoint.close();
});

const statistics = (input: Partial<GetMetricStatisticsCommandInput>) =>
  cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: 'Demo',
      MetricName: 'Latency',
      Dimensions,
      StartTime: new Date(base),
      EndTime: new Date(base + 5 * minute),
      Period: 60,
      ...input,
    }),
  );

describe('GetMetricStatistics', () => {
  it('answers one datapoint per period with data, with the statistics asked for and the unit', async () => {
    const result = await statistics({ Statistics: ['SampleCount', 'Average', 'Maximum'] });
    expect(result.Label).toBe('Latency');
    expect(result.Datapoints).toEqual([
      { Timestamp: new Date(base), SampleCount: 100, Average: 50.5, Maximum: 100, Unit: 'Milliseconds' },
      { Timestamp: new Date(base + 2 * minute), SampleCount: 1, Average: 900, Maximum: 900, Unit: 'Milliseconds' },
    ]);
  });

  it('answers percentiles as ExtendedStatistics, and nothing for another unit', async () => {
    const { Datapoints } = await statistics({ ExtendedStatistics: ['p90'] });
    expect(Datapoints?.map((point) => point.ExtendedStatistics)).toEqual([{ p90: 90 }, { p90: 900 }]);
    expect((await statistics({ Statistics: ['Sum'], Unit: 'Seconds' })).Datapoints).toEqual([]);
  });

  it.each([
    ['neither Statistics nor ExtendedStatistics', {}, 'InvalidParameterCombinationException'],
    [
      'both Statistics and ExtendedStatistics',
      { Statistics: ['Sum'], ExtendedStatistics: ['p99'] },
      'InvalidParameterCombinationException',
    ],
    ['an unknown statistic', { Statistics: ['Median'] }, 'InvalidParameterValueException'],
    ['six statistics', { Statistics: ['Sum', 'Sum', 'Sum', 'Sum', 'Sum', 'Sum'] }, 'InvalidParameterValueException'],
    ['a Period that is not a multiple of 60', { Statistics: ['Sum'], Period: 61 }, 'InvalidParameterValueException'],
    [
      'more than 1,440 datapoints',
      { Statistics: ['Sum'], Period: 1, StartTime: new Date(base - 20 * minute) },
      'InvalidParameterCombinationException',
    ],
    [
      'an EndTime before the StartTime',
      { Statistics: ['Sum'], EndTime: new Date(base - minute) },
      'InvalidParameterValueException',
    ],
  ] as const)('refuses %s', async (_case, input, name) => {
    await expect(statistics(input as Partial<GetMetricStatisticsCommandInput>)).rejects.toMatchObject({
      name,
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('DescribeAlarms', () => {
  it('answers no alarms in the shape CloudWatch answers them', async () => {
    const result = await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM', MaxRecords: 10 }));
    expect(result.MetricAlarms).toEqual([]);
    expect(result.CompositeAlarms).toEqual([]);
    expect(result.NextToken).toBeUndefined();
  });

  it.each([
    ['an unknown StateValue', { StateValue: 'BROKEN' }, 'InvalidParameterValueException'],
    [
      'AlarmNames with AlarmNamePrefix',
      { AlarmNames: ['a'], AlarmNamePrefix: 'a' },
      'InvalidParameterCombinationException',
    ],
    [
      'more than 100 AlarmNames',
      { AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) },
      'InvalidParameterValueException',
    ],
    ['MaxRecords over 100', { MaxRecords: 101 }, 'InvalidParameterValueException'],
    ['a NextToken it did not issue', { NextToken: 'not-a-token' }, 'InvalidParameterValueException'],
  ] as const)('refuses %s', async (_case, input, name) => {
    await expect(cloudwatch.send(new DescribeAlarmsCommand(input as never))).rejects.toMatchObject({ name });
  });
});
