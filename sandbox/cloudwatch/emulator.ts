import type {
  GetMetricDataOutput,
  ListMetricsOutput,
  MetricDataResult,
  Metric as SdkMetric,
} from '@aws-sdk/client-cloudwatch';
import { AwsApiError, type AwsServiceEmulator } from '../aws/service.ts';
import { InputReader, type InputReader as Reader } from '../ecs/input.ts';
import { page } from '../ecs/paging.ts';
import type { Dimension, MetricId, MetricStore } from './metric-store.ts';
import { isSupportedStat, type Sample, statistic } from './statistics.ts';

// CloudWatch metrics (the SDK speaks JSON 1.0 to it, X-Amz-Target
// GraniteServiceVersion20100801.<Operation>): GetMetricData over MetricStat
// queries, PutMetricData, ListMetrics. The load balancers write the
// AWS/ApplicationELB metrics into the same store (see sandbox/lb/alb-metrics.ts).
// As in CloudWatch, a period with no samples has no datapoint (not a zero),
// and results are newest first unless ScanBy says otherwise. Metric math
// (Expression) is not evaluated.

const ERRORS = { invalid: 'InvalidParameterValueException', missing: 'MissingRequiredParameterException' };
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

export class CloudWatchEmulator implements AwsServiceEmulator {
  readonly targetPrefix = 'GraniteServiceVersion20100801';
  readonly signingName = 'monitoring';
  readonly store: MetricStore;

  constructor(store: MetricStore) {
    this.store = store;
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const reader = new InputReader(input, ERRORS);
    switch (operation) {
      case 'GetMetricData':
        return this.#getMetricData(reader);
      case 'PutMetricData':
        return this.#putMetricData(reader);
      case 'ListMetrics':
        return this.#listMetrics(reader);
      default:
        throw new AwsApiError('UnknownOperationException', `The sandbox's CloudWatch does not support ${operation}.`);
    }
  }

  #getMetricData(reader: Reader): GetMetricDataOutput {
    const start = reader.date('StartTime').getTime();
    const end = reader.date('EndTime').getTime();
    if (start >= end) reader.fail('The parameter StartTime must be less than the parameter EndTime.');
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
      if (!stat) throw new AwsApiError(ERRORS.missing, `The parameter ${query.path('MetricStat')} is required.`);
      const metric = this.#readMetric(
        stat.optionalObject('Metric') ?? stat.fail(`${stat.path('Metric')} is required.`),
      );
      const period = stat.optionalInteger('Period', 1, 31_536_000);
      if (period === undefined)
        throw new AwsApiError(ERRORS.missing, `The parameter ${stat.path('Period')} is required.`);
      const statName = stat.string('Stat');
      if (!isSupportedStat(statName)) stat.fail(`The value ${statName} for parameter ${stat.path('Stat')} is invalid.`);
      if (query.optionalBoolean('ReturnData') === false) continue;

      const points = this.#datapoints(metric, statName, period * 1000, start, end, descending);
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

  #readMetric(metric: Reader): MetricId {
    return {
      namespace: metric.string('Namespace'),
      metricName: metric.string('MetricName'),
      dimensions: this.#readDimensions(metric),
    };
  }

  #readDimensions(reader: Reader): Dimension[] {
    const dimensions = reader.objects('Dimensions').map((d) => ({ Name: d.string('Name'), Value: d.string('Value') }));
    if (dimensions.length > 30) reader.fail(`${reader.path('Dimensions')} can have at most 30 dimensions.`);
    return dimensions;
  }

  #datapoints(
    metric: MetricId,
    stat: string,
    periodMs: number,
    start: number,
    end: number,
    descending: boolean,
  ): { at: number; value: number }[] {
    // Periods start on multiples of the period since the epoch, as CloudWatch aligns them.
    const from = Math.floor(start / periodMs) * periodMs;
    const buckets = new Map<number, Sample[]>();
    for (const sample of this.store.samples(metric, from, end)) {
      const bucket = Math.floor(sample.at / periodMs) * periodMs;
      const list = buckets.get(bucket);
      if (list) list.push(sample);
      else buckets.set(bucket, [sample]);
    }
    const points = [...buckets].map(([at, samples]) => ({ at, value: statistic(stat, samples) }));
    return points.sort((a, b) => (descending ? b.at - a.at : a.at - b.at));
  }

  #putMetricData(reader: Reader): Record<string, never> {
    const namespace = reader.string('Namespace');
    if (namespace.startsWith('AWS/')) reader.fail(`The value ${namespace} for parameter Namespace is invalid.`);
    const data = reader.objects('MetricData');
    if (data.length === 0 || data.length > 1000) {
      throw new AwsApiError(ERRORS.missing, 'The parameter MetricData is required and can have at most 1000 items.');
    }
    // Validate every datum before storing any, so a bad request changes nothing.
    const writes = data.map((datum) => {
      const id: MetricId = {
        namespace,
        metricName: datum.string('MetricName'),
        dimensions: this.#readDimensions(datum),
      };
      const at = (datum.optionalDate('Timestamp') ?? new Date()).getTime();
      const unit = datum.optionalString('Unit');
      return { id, unit, samples: this.#readSamples(datum, at) };
    });
    for (const write of writes) {
      for (const sample of write.samples) this.store.putSample(write.id, sample, write.unit);
    }
    return {};
  }

  #readSamples(datum: Reader, at: number): Sample[] {
    const value = datum.optionalNumber('Value');
    const values = datum.raw('Values');
    const set = datum.optionalObject('StatisticValues');
    if ([value !== undefined, values !== undefined, set !== undefined].filter(Boolean).length !== 1) {
      throw new AwsApiError(
        'InvalidParameterCombinationException',
        `${datum.path('MetricName')} ${datum.raw('MetricName')}: exactly one of Value, Values or StatisticValues must be given.`,
      );
    }
    if (value !== undefined) return [{ at, sum: value, count: 1, min: value, max: value }];
    if (set) {
      const count = set.optionalNumber('SampleCount');
      const sum = set.optionalNumber('Sum');
      const min = set.optionalNumber('Minimum');
      const max = set.optionalNumber('Maximum');
      if (count === undefined || sum === undefined || min === undefined || max === undefined || count <= 0) {
        return set.fail(`${set.path()} needs SampleCount (> 0), Sum, Minimum and Maximum.`);
      }
      return [{ at, sum, count, min, max }];
    }
    const list = numbers(datum, 'Values');
    const counts = datum.has('Counts') ? numbers(datum, 'Counts') : list.map(() => 1);
    if (counts.length !== list.length) {
      throw new AwsApiError('InvalidParameterCombinationException', 'Values and Counts must have the same length.');
    }
    return list.map((v, i) => {
      const count = counts[i] ?? 1;
      return { at, sum: v * count, count, min: v, max: v };
    });
  }

  #listMetrics(reader: Reader): ListMetricsOutput {
    const namespace = reader.optionalString('Namespace');
    const metricName = reader.optionalString('MetricName');
    const filters = reader
      .objects('Dimensions')
      .map((d) => ({ name: d.string('Name'), value: d.optionalString('Value') }));
    const metrics = this.store
      .metrics()
      .filter((m) => namespace === undefined || m.namespace === namespace)
      .filter((m) => metricName === undefined || m.metricName === metricName)
      .filter((m) =>
        filters.every((f) =>
          m.dimensions.some((d) => d.Name === f.name && (f.value === undefined || d.Value === f.value)),
        ),
      );
    const { items, nextToken } = page(metrics, reader.optionalString('NextToken'), 500, ERRORS.invalid);
    const view = (m: MetricId): SdkMetric => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: m.dimensions,
    });
    return { Metrics: items.map(view), ...(nextToken ? { NextToken: nextToken } : {}) };
  }
}

function numbers(reader: Reader, name: string): number[] {
  const value = reader.raw(name);
  const list = Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? Number(v) : v)) : undefined;
  if (!list || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    reader.fail(`${reader.path(name)} must be a list of numbers.`);
  }
  return list;
}
