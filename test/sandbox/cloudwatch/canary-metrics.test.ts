import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import { CloudWatchEmulator } from '../../../sandbox/cloudwatch/emulator.ts';
import { MetricStore } from '../../../sandbox/cloudwatch/metric-store.ts';
import { AlbMetrics } from '../../../sandbox/lb/alb-metrics.ts';
import { createCloudWatchMetricsAdapter } from '../../../src/canary/adapters/cloudwatch-metrics.ts';
import { sdkConfig } from '../support/clients.ts';

// The canary-check adapter against the sandbox's CloudWatch over the SDK: ALB
// metrics as the sandbox's load balancers publish them (PutMetricData refuses
// AWS/ namespaces, as AWS does), a custom metric through PutMetricData.

const minute = 60_000;
const base = Math.floor(Date.now() / minute) * minute - 10 * minute; // a minute boundary, ten minutes ago
const LB = 'app/web/50dc6c495c0c9188';
const GREEN = 'targetgroup/web-green/73e2d6bc24d8a067';
const BLUE = 'targetgroup/web-blue/943f017f100becff';
let endpoint: AwsEndpoint;
let client: CloudWatchClient;

beforeAll(async () => {
  const store = new MetricStore();
  endpoint = await startAwsEndpoint({ port: 0, emulators: [new CloudWatchEmulator(store)] });
  client = new CloudWatchClient(sdkConfig(endpoint.url));
  const alb = new AlbMetrics(store);
  // Minutes 0 and 1: the canary (green) answers 10 requests a minute, 3 of them 500s, in 400 ms;
  // the baseline (blue) 20 a minute, all 200s, in 100 ms. Minute 2: blue alone, with no error.
  for (const at of [base, base + minute]) {
    for (let i = 0; i < 10; i++) {
      alb.record(LB, GREEN, { kind: 'target', status: i < 3 ? 500 : 200, latencySeconds: 0.4 }, at + i * 1000);
    }
  }
  for (const at of [base, base + minute, base + 2 * minute]) {
    for (let i = 0; i < 20; i++)
      alb.record(LB, BLUE, { kind: 'target', status: 200, latencySeconds: 0.1 }, at + i * 1000);
  }
  await client.send(
    new PutMetricDataCommand({
      Namespace: 'Shop',
      MetricData: [GREEN, BLUE].flatMap((targetGroup, side) =>
        [0, 1, 2].map((m) => ({
          MetricName: 'OrdersPlaced',
          Dimensions: [{ Name: 'TargetGroup', Value: targetGroup }],
          Timestamp: new Date(base + m * minute + 5000),
          Value: side === 0 ? 2 + m : 10 + m,
        })),
      ),
    }),
  );
});

afterAll(async () => {
  client.destroy();
  await endpoint.close();
});

describe('the CloudWatch metrics adapter on the sandbox', () => {
  it('reads both target groups over one window: counts summed, latency and custom values per period', async () => {
    const read = await createCloudWatchMetricsAdapter(client).readCanaryMetrics({
      loadBalancer: LB,
      targetGroups: { canary: GREEN, baseline: BLUE },
      start: new Date(base),
      end: new Date(base + 5 * minute),
      periodSeconds: 60,
      custom: [
        {
          name: 'orders',
          namespace: 'Shop',
          metricName: 'OrdersPlaced',
          statistic: 'Sum',
          dimensions: {
            canary: [{ name: 'TargetGroup', value: GREEN }],
            baseline: [{ name: 'TargetGroup', value: BLUE }],
          },
        },
      ],
    });
    // Periods with traffic: as many as the latency has values (the sandbox, as ALB, publishes neither for a quiet one).
    expect(read.counts).toEqual({
      canary: { requests: 20, errors: 6, periods: 2 },
      baseline: { requests: 60, errors: 0, periods: 3 },
    });
    // Averages of 10 and 20 samples: equal to the last bits of a double.
    const rounded = (values: number[]) => values.map((value) => Number(value.toFixed(9)));
    expect(rounded(read.latency.canary)).toEqual([0.4, 0.4]);
    expect(rounded(read.latency.baseline)).toEqual([0.1, 0.1, 0.1]);
    expect(read.custom).toEqual([{ name: 'orders', canary: [2, 3, 4], baseline: [10, 11, 12] }]);
  });
});
