import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { awsCall } from '../../platform/aws-errors.ts';
import { TransientError } from '../../platform/errors.ts';
import type { CanaryMetrics, CanaryMetricsQuery, Dimension, MetricsPort, Paired } from '../ports/metrics.ts';

const ALB_NAMESPACE = 'AWS/ApplicationELB';
const SIDES = ['canary', 'baseline'] as const;
type Side = (typeof SIDES)[number];

/** The metrics port over CloudWatch GetMetricData (the client created once per cold start by the caller). */
export function createCloudWatchMetricsAdapter(client: CloudWatchClient): MetricsPort {
  return {
    async readCanaryMetrics(query) {
      // One GetMetricData call covers one window: one more when the baseline
      // has its own, and one for the baseline's latency history.
      const { baselineWindow, historyWindow } = query;
      const values =
        baselineWindow === undefined
          ? await readAll(client, query, metricQueries(query, SIDES))
          : new Map([
              ...(await readAll(client, query, metricQueries(query, ['canary']))),
              ...(await readAll(client, baselineWindow, metricQueries(query, ['baseline']))),
            ]);
      const history =
        historyWindow === undefined
          ? undefined
          : ((await readAll(client, historyWindow, [historyQuery(query)])).get(HISTORY_ID) ?? []);
      const read = (id: string) => values.get(id) ?? [];
      // ALB publishes no count datapoint for a period without requests or
      // errors: a missing datapoint is a zero, so the sum covers it.
      const sum = (id: string) => read(id).reduce((total, value) => total + value, 0);
      const paired = <T>(of: (side: Side) => T): Paired<T> => ({ canary: of('canary'), baseline: of('baseline') });
      const result: CanaryMetrics = {
        counts: paired((side) => ({
          requests: sum(`requests_${side}`),
          errors: sum(`errors_${side}`),
          periods: read(`requests_${side}`).filter((value) => value > 0).length,
        })),
        latency: paired((side) => read(`latency_${side}`)),
        ...(history === undefined ? {} : { latencyHistory: history }),
        custom: query.custom.map((metric, index) => ({
          name: metric.name,
          ...paired((side) => read(`custom${index}_${side}`)),
        })),
      };
      return result;
    },
  };
}

const HISTORY_ID = 'latency_history';

// The baseline target group's TargetResponseTime alone, for the history window.
const historyQuery = (query: CanaryMetricsQuery): MetricDataQuery =>
  statQuery(
    query.periodSeconds,
    HISTORY_ID,
    ALB_NAMESPACE,
    'TargetResponseTime',
    albDimensions(query, 'baseline'),
    'Average',
  );

// One query per metric and side, ids naming both: `requests_canary`, `custom0_baseline`...
function metricQueries(query: CanaryMetricsQuery, sides: readonly Side[]): MetricDataQuery[] {
  const { periodSeconds } = query;
  return sides.flatMap((side) => {
    const alb = albDimensions(query, side);
    const stat = (id: string, namespace: string, metricName: string, dimensions: Dimension[], statistic: string) =>
      statQuery(periodSeconds, id, namespace, metricName, dimensions, statistic);
    return [
      stat(`requests_${side}`, ALB_NAMESPACE, 'RequestCount', alb, 'Sum'),
      stat(`errors_${side}`, ALB_NAMESPACE, 'HTTPCode_Target_5XX_Count', alb, 'Sum'),
      stat(`latency_${side}`, ALB_NAMESPACE, 'TargetResponseTime', alb, 'Average'),
      ...query.custom.map((metric, index) =>
        stat(`custom${index}_${side}`, metric.namespace, metric.metricName, metric.dimensions[side], metric.statistic),
      ),
    ];
  });
}

const albDimensions = (query: CanaryMetricsQuery, side: Side): Dimension[] => [
  { name: 'LoadBalancer', value: query.loadBalancer },
  { name: 'TargetGroup', value: query.targetGroups[side] },
];

function statQuery(
  periodSeconds: number,
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Dimension[],
  statistic: string,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: namespace,
        MetricName: metricName,
        Dimensions: dimensions.map(({ name, value }) => ({ Name: name, Value: value })),
      },
      Period: periodSeconds,
      Stat: statistic,
    },
    ReturnData: true,
  };
}

// Every page of one GetMetricData call, values oldest first by query id.
async function readAll(
  client: CloudWatchClient,
  window: { start: Date; end: Date },
  queries: MetricDataQuery[],
): Promise<Map<string, number[]>> {
  const values = new Map<string, number[]>();
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await awsCall('GetMetricData', () =>
      client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: window.start,
          EndTime: window.end,
          ScanBy: 'TimestampAscending',
          NextToken: token,
        }),
      ),
    );
    for (const result of page.MetricDataResults ?? []) collect(values, result);
    nextToken = page.NextToken;
  } while (nextToken);
  return values;
}

function collect(values: Map<string, number[]>, result: MetricDataResult): void {
  if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
    const messages = (result.Messages ?? []).map((message) => message.Value).join('; ');
    const text = `GetMetricData answered ${result.StatusCode} for ${result.Id}${messages ? `: ${messages}` : ''}`;
    throw result.StatusCode === 'InternalError' ? new TransientError(text) : new Error(text);
  }
  if (result.Id === undefined) return;
  values.set(result.Id, [...(values.get(result.Id) ?? []), ...(result.Values ?? [])]);
}
