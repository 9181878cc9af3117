import type { GetMetricDataOutput, ListMetricsOutput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchEmulator } from '../../../sandbox/cloudwatch/emulator.ts';
import { MetricStore } from '../../../sandbox/cloudwatch/metric-store.ts';
import { statistic } from '../../../sandbox/cloudwatch/statistics.ts';
import { call } from '../support/ecs-world.ts';

// CloudWatch metrics through GetMetricData, PutMetricData and ListMetrics.

let cloudwatch: CloudWatchEmulator;
const minute = 60_000;
const base = Math.floor(Date.now() / minute) * minute - 10 * minute; // a minute boundary, ten minutes ago
const dimensions = [{ Name: 'Service', Value: 'web' }];

beforeEach(async () => {
  cloudwatch = new CloudWatchEmulator(new MetricStore());
  // Minute 0: latencies 1..100 ms; minute 2: one slow request.
  await call(cloudwatch, 'PutMetricData', {
    Namespace: 'Demo',
    MetricData: [
      {
        MetricName: 'Latency',
        Dimensions: dimensions,
        Timestamp: new Date(base + 1000),
        Values: Array.from({ length: 100 }, (_, i) => i + 1),
        Unit: 'Milliseconds',
      },
      {
        MetricName: 'Latency',
        Dimensions: dimensions,
        Timestamp: new Date(base + 2 * minute + 5000),
        Value: 900,
        Unit: 'Milliseconds',
      },
    ],
  });
});

const query = (stat: string, extra: Record<string, unknown> = {}) =>
  call<GetMetricDataOutput>(cloudwatch, 'GetMetricData', {
    StartTime: new Date(base),
    EndTime: new Date(base + 5 * minute),
    MetricDataQueries: [
      {
        Id: 'm',
        MetricStat: {
          Metric: { Namespace: 'Demo', MetricName: 'Latency', Dimensions: dimensions },
          Period: 60,
          Stat: stat,
        },
      },
    ],
    ...extra,
  });

describe('GetMetricData', () => {
  it('answers per period, newest first, omitting periods without data', async () => {
    const { MetricDataResults } = await query('SampleCount');
    expect(MetricDataResults).toEqual([
      {
        Id: 'm',
        Label: 'Latency',
        Timestamps: [new Date(base + 2 * minute), new Date(base)],
        Values: [1, 100],
        StatusCode: 'Complete',
      },
    ]);
  });

  it.each([
    ['Sum', 5050],
    ['Average', 50.5],
    ['Minimum', 1],
    ['Maximum', 100],
    ['p50', 50],
    ['p90', 90],
    ['p99', 99],
  ])('computes %s', async (stat, value) => {
    const { MetricDataResults } = await query(stat, { ScanBy: 'TimestampAscending' });
    expect(MetricDataResults?.[0]?.Values?.[0]).toBe(value);
  });

  it('treats another dimension set as another metric', async () => {
    const { MetricDataResults } = await call<GetMetricDataOutput>(cloudwatch, 'GetMetricData', {
      StartTime: new Date(base),
      EndTime: new Date(base + 5 * minute),
      MetricDataQueries: [
        { Id: 'm', MetricStat: { Metric: { Namespace: 'Demo', MetricName: 'Latency' }, Period: 60, Stat: 'Sum' } },
      ],
    });
    expect(MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('accepts timestamps as the wire carries them (epoch seconds)', async () => {
    const { MetricDataResults } = await query('Maximum', {
      StartTime: base / 1000,
      EndTime: (base + 5 * minute) / 1000,
    });
    expect(MetricDataResults?.[0]?.Values).toEqual([900, 100]);
  });

  it.each([
    [{ StartTime: new Date(base + minute), EndTime: new Date(base) }, 'InvalidParameterValueException'],
    [{ EndTime: undefined }, 'MissingRequiredParameterException'],
    [
      {
        MetricDataQueries: [
          {
            Id: 'Bad-Id',
            MetricStat: { Metric: { Namespace: 'Demo', MetricName: 'Latency' }, Period: 60, Stat: 'Sum' },
          },
        ],
      },
      'InvalidParameterValueException',
    ],
    [
      {
        MetricDataQueries: [
          { Id: 'm', MetricStat: { Metric: { Namespace: 'Demo', MetricName: 'Latency' }, Period: 60, Stat: 'Median' } },
        ],
      },
      'InvalidParameterValueException',
    ],
    [{ MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }] }, 'InvalidParameterValueException'],
  ])('refuses a bad query (%#)', async (override, code) => {
    await expect(query('Sum', override)).rejects.toMatchObject({ code });
  });
});

describe('PutMetricData and ListMetrics', () => {
  it('refuses the AWS/ namespaces and half-given values, storing nothing', async () => {
    await expect(
      cloudwatch.handle('PutMetricData', {
        Namespace: 'AWS/ApplicationELB',
        MetricData: [{ MetricName: 'RequestCount', Value: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValueException' });
    await expect(
      cloudwatch.handle('PutMetricData', {
        Namespace: 'Demo',
        MetricData: [{ MetricName: 'Ok', Value: 1 }, { MetricName: 'Bad' }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterCombinationException' });
    const { Metrics } = await call<ListMetricsOutput>(cloudwatch, 'ListMetrics', { Namespace: 'Demo' });
    expect(Metrics?.map((m) => m.MetricName)).toEqual(['Latency']);
  });

  it('stores statistic sets and lists metrics by dimension', async () => {
    await call(cloudwatch, 'PutMetricData', {
      Namespace: 'Demo',
      MetricData: [
        {
          MetricName: 'Batch',
          Dimensions: [{ Name: 'Queue', Value: 'q1' }],
          StatisticValues: { SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 },
        },
      ],
    });
    const { Metrics } = await call<ListMetricsOutput>(cloudwatch, 'ListMetrics', { Dimensions: [{ Name: 'Queue' }] });
    expect(Metrics).toEqual([{ Namespace: 'Demo', MetricName: 'Batch', Dimensions: [{ Name: 'Queue', Value: 'q1' }] }]);
  });
});

describe('statistics', () => {
  it('weights samples by their count', () => {
    const samples = [
      { at: 0, sum: 10, count: 10, min: 1, max: 1 },
      { at: 0, sum: 100, count: 1, min: 100, max: 100 },
    ];
    expect(statistic('p90', samples)).toBe(1);
    expect(statistic('p99', samples)).toBe(100);
    expect(statistic('Average', samples)).toBe(10);
  });
});
