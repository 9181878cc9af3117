import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createCloudWatchMetricsAdapter } from '../../../src/canary/adapters/cloudwatch-metrics.ts';
import type { CanaryMetricsQuery } from '../../../src/canary/ports/metrics.ts';
import { TransientError } from '../../../src/platform/errors.ts';
import { awsError } from '../../support/aws-fixture.ts';

const cloudwatchMock = mockClient(CloudWatchClient);
const metrics = createCloudWatchMetricsAdapter(new CloudWatchClient({ region: 'us-east-1' }));

const query: CanaryMetricsQuery = {
  loadBalancer: 'app/web/50dc6c495c0c9188',
  targetGroups: { canary: 'targetgroup/web-green/73e2d6bc24d8a067', baseline: 'targetgroup/web-blue/943f017f100becff' },
  start: new Date('2026-11-21T10:00:00Z'),
  end: new Date('2026-11-21T10:05:00Z'),
  periodSeconds: 60,
  custom: [
    {
      name: 'orders',
      namespace: 'Shop',
      metricName: 'OrdersPlaced',
      statistic: 'Sum',
      dimensions: {
        canary: [{ name: 'TargetGroup', value: 'targetgroup/web-green/73e2d6bc24d8a067' }],
        baseline: [{ name: 'TargetGroup', value: 'targetgroup/web-blue/943f017f100becff' }],
      },
    },
  ],
};

afterEach(() => {
  cloudwatchMock.reset();
});

describe('the CloudWatch metrics adapter', () => {
  it('asks once for both target groups over the same window, by the ALB dimensions', async () => {
    cloudwatchMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await metrics.readCanaryMetrics(query);
    expect(cloudwatchMock.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    const input = cloudwatchMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input as GetMetricDataCommandInput;
    expect(input).toMatchObject({ StartTime: query.start, EndTime: query.end, ScanBy: 'TimestampAscending' });
    const byId = new Map(input.MetricDataQueries?.map((q) => [q.Id, q.MetricStat]));
    expect(byId.get('errors_canary')).toEqual({
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [
          { Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' },
          { Name: 'TargetGroup', Value: 'targetgroup/web-green/73e2d6bc24d8a067' },
        ],
      },
      Period: 60,
      Stat: 'Sum',
    });
    expect(byId.get('requests_baseline')?.Metric?.Dimensions?.[1]?.Value).toBe('targetgroup/web-blue/943f017f100becff');
    expect(byId.get('latency_canary')).toMatchObject({ Metric: { MetricName: 'TargetResponseTime' }, Stat: 'Average' });
    expect(byId.get('custom0_baseline')).toMatchObject({
      Metric: {
        Namespace: 'Shop',
        MetricName: 'OrdersPlaced',
        Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web-blue/943f017f100becff' }],
      },
      Stat: 'Sum',
    });
  });

  it('sums counts over every page, a missing datapoint counting zero, and keeps latency per period', async () => {
    cloudwatchMock
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'requests_canary', Values: [100, 120], StatusCode: 'PartialData' },
          { Id: 'latency_canary', Values: [0.2, 0.21], StatusCode: 'PartialData' },
          { Id: 'requests_baseline', Values: [300, 310, 305], StatusCode: 'PartialData' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'requests_canary', Values: [110], StatusCode: 'Complete' },
          { Id: 'errors_canary', Values: [4], StatusCode: 'Complete' },
          { Id: 'latency_canary', Values: [0.19], StatusCode: 'Complete' },
          { Id: 'custom0_canary', Values: [7, 8], StatusCode: 'Complete' },
          { Id: 'errors_baseline', Values: [], StatusCode: 'Complete' },
        ],
      });
    const read = await metrics.readCanaryMetrics(query);
    expect(read).toEqual({
      // Periods with traffic: the datapoints of RequestCount (ALB publishes none for a period without requests).
      counts: { canary: { requests: 330, errors: 4, periods: 3 }, baseline: { requests: 915, errors: 0, periods: 3 } },
      latency: { canary: [0.2, 0.21, 0.19], baseline: [] },
      custom: [{ name: 'orders', canary: [7, 8], baseline: [] }],
    });
    const calls = cloudwatchMock.commandCalls(GetMetricDataCommand);
    expect(calls.map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
  });

  it("reads the baseline's TargetResponseTime alone over the history window, in a call of its own", async () => {
    const historyWindow = { start: new Date('2026-11-21T09:00:00Z'), end: query.start };
    cloudwatchMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map(({ Id }) => ({
        Id,
        Values: Id === 'latency_history' ? [0.18, 0.2, 0.19] : [0.1],
        StatusCode: 'Complete',
      })),
    }));
    const read = await metrics.readCanaryMetrics({ ...query, historyWindow });
    const calls = cloudwatchMock.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ StartTime: historyWindow.start, EndTime: historyWindow.end });
    expect(calls[1]?.MetricDataQueries).toEqual([
      {
        Id: 'latency_history',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'TargetResponseTime',
            Dimensions: [
              { Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' },
              { Name: 'TargetGroup', Value: 'targetgroup/web-blue/943f017f100becff' },
            ],
          },
          Period: 60,
          Stat: 'Average',
        },
        ReturnData: true,
      },
    ]);
    expect(read.latencyHistory).toEqual([0.18, 0.2, 0.19]);
    expect(read.latency.baseline).toEqual([0.1]);
  });

  it('makes throttling a TransientError and a forbidden metric an error', async () => {
    cloudwatchMock.on(GetMetricDataCommand).rejects(awsError('Throttling', 'Rate exceeded', 400));
    await expect(metrics.readCanaryMetrics(query)).rejects.toBeInstanceOf(TransientError);
    cloudwatchMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'custom0_canary', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'denied' }] },
      ],
    });
    await expect(metrics.readCanaryMetrics(query)).rejects.toThrow(
      'GetMetricData answered Forbidden for custom0_canary: denied',
    );
  });
});
