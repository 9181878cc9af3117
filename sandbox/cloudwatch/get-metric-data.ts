import type { GetMetricDataOutput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import { readMetric, readTimeRange } from './metric-input.ts';
import type { MetricStore } from './metric-store.ts';
import { periodsOf } from './periods.ts';
import { isSupportedStat, statistic } from './statistics.ts';
import { CLOUDWATCH_WIRE } from './wire.ts';

// GetMetricData over MetricStat queries. As in CloudWatch, results are newest
// first unless ScanBy says otherwise. Metric math (Expression) is not evaluated.

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const { missing } = CLOUDWATCH_WIRE.errors;

/** GetMetricData: one result per MetricStat query, within MaxDatapoints. */
export function getMetricData(store: MetricStore, reader: InputReader): GetMetricDataOutput {
  const { start, end } = readTimeRange(reader);
  const descending = (reader.optionalString('ScanBy') ?? 'TimestampDescending') === 'TimestampDescending';
  let budget = reader.optionalInteger('MaxDatapoints', 1, 100_800) ?? 100_800;
  const queries = reader.objects('MetricDataQueries');
  if (queries.length === 0 || queries.length > 500) {
    reader.fail('The collection MetricDataQueries must not be empty and must have at most 500 elements.');
  }
  const ids = new Set<string>();
  const results: MetricDataResult[] = [];
  for (const query of queries) {
    const id = query.string('Id');
    if (!QUERY_ID.test(id)) query.fail(`The value ${id} for parameter ${query.path('Id')} is invalid.`);
    if (ids.has(id)) query.fail(`The value ${id} for parameter MetricDataQueries.Id is not unique.`);
    ids.add(id);
    if (query.has('Expression')) {
      query.fail(`The sandbox's CloudWatch does not evaluate metric math (query ${id}); use MetricStat.`);
    }
    const stat = query.optionalObject('MetricStat');
    if (!stat) throw new AwsApiError(missing, `The parameter ${query.path('MetricStat')} is required.`);
    const metric = readMetric(stat.optionalObject('Metric') ?? stat.fail(`${stat.path('Metric')} is required.`));
    const period = stat.optionalInteger('Period', 1, 31_536_000);
    if (period === undefined) throw new AwsApiError(missing, `The parameter ${stat.path('Period')} is required.`);
    const statName = stat.string('Stat');
    if (!isSupportedStat(statName)) stat.fail(`The value ${statName} for parameter ${stat.path('Stat')} is invalid.`);
    if (query.optionalBoolean('ReturnData') === false) continue;

    const points = [...periodsOf(store, metric, period * 1000, start, end)]
      .map(([at, samples]) => ({ at, value: statistic(statName, samples) }))
      .sort((a, b) => (descending ? b.at - a.at : a.at - b.at));
    const kept = points.slice(0, Math.max(0, budget));
    budget -= kept.length;
    results.push({
      Id: id,
      Label: query.optionalString('Label') ?? metric.metricName,
      Timestamps: kept.map((p) => new Date(p.at)),
      Values: kept.map((p) => p.value),
      StatusCode: kept.length < points.length ? 'PartialData' : 'Complete',
    });
  }
  return { MetricDataResults: results, Messages: [] };
}
