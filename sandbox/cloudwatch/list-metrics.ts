import type { ListMetricsOutput, Metric } from '@aws-sdk/client-cloudwatch';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import type { MetricId, MetricStore } from './metric-store.ts';
import { CLOUDWATCH_INVALID_TOKEN } from './wire.ts';

/** ListMetrics: filtered by namespace, name and dimensions (a dimension without Value matches any value), 500 a page. */
export function listMetrics(store: MetricStore, reader: InputReader): ListMetricsOutput {
  const namespace = reader.optionalString('Namespace');
  const metricName = reader.optionalString('MetricName');
  const filters = reader
    .objects('Dimensions')
    .map((d) => ({ name: d.string('Name'), value: d.optionalString('Value') }));
  const metrics = store
    .metrics()
    .filter((m) => namespace === undefined || m.namespace === namespace)
    .filter((m) => metricName === undefined || m.metricName === metricName)
    .filter((m) =>
      filters.every((f) =>
        m.dimensions.some((d) => d.Name === f.name && (f.value === undefined || d.Value === f.value)),
      ),
    );
  const { items, nextToken } = page(metrics, reader.optionalString('NextToken'), 500, CLOUDWATCH_INVALID_TOKEN);
  const view = (m: MetricId): Metric => ({
    Namespace: m.namespace,
    MetricName: m.metricName,
    Dimensions: m.dimensions,
  });
  return { Metrics: items.map(view), ...(nextToken ? { NextToken: nextToken } : {}) };
}
