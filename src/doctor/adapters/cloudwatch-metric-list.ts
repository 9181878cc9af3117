import { type CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricListPort } from '../ports.ts';

/** CloudWatch's ListMetrics: a metric is listed once it has data (AWS keeps the list two weeks). */
export function createCloudWatchMetricList(client: CloudWatchClient): MetricListPort {
  return {
    async hasData(namespace, metricName, dimensions) {
      const { Metrics } = await client.send(
        new ListMetricsCommand({
          Namespace: namespace,
          MetricName: metricName,
          Dimensions: dimensions.map(({ name, value }) => ({ Name: name, Value: value })),
        }),
      );
      return (Metrics?.length ?? 0) > 0;
    },
  };
}
