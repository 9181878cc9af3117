import type { Datapoint, GetMetricStatisticsOutput } from '@aws-sdk/client-cloudwatch';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import { readMetric, readTimeRange } from './metric-input.ts';
import type { MetricStore } from './metric-store.ts';
import { periodsOf } from './periods.ts';
import { isSupportedStat, statistic } from './statistics.ts';

// GetMetricStatistics: the older, one-metric API (what `aws cloudwatch
// get-metric-statistics` calls). Its limits are CloudWatch's: 1 to 5
// Statistics or 1 to 10 ExtendedStatistics (not both), a Period of 1, 5, 10,
// 30 or a multiple of 60 seconds, at most 1,440 datapoints per call.

const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
type Statistic = (typeof STATISTICS)[number];
const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 30];
const MAX_DATAPOINTS = 1440;

/** GetMetricStatistics: one datapoint per period with data, oldest first. */
export function getMetricStatistics(store: MetricStore, reader: InputReader): GetMetricStatisticsOutput {
  const metric = readMetric(reader);
  const { start, end } = readTimeRange(reader);
  const period = reader.optionalInteger('Period', 1, 31_536_000);
  if (period === undefined)
    throw new AwsApiError('MissingRequiredParameterException', 'The parameter Period is required.');
  if (!HIGH_RESOLUTION_PERIODS.includes(period) && period % 60 !== 0) {
    reader.fail('The parameter Period must be a multiple of 60.');
  }
  const { statistics, percentiles } = readStatistics(reader);
  const requested = Math.ceil((end - start) / (period * 1000));
  if (requested > MAX_DATAPOINTS) {
    throw new AwsApiError(
      'InvalidParameterCombinationException',
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const storedUnit = store.unit(metric) ?? 'None';
  const unit = reader.optionalString('Unit');
  if (unit !== undefined && unit !== storedUnit) return { Label: metric.metricName, Datapoints: [] };

  const datapoints = [...periodsOf(store, metric, period * 1000, start, end)]
    .sort(([a], [b]) => a - b)
    .map(([at, samples]): Datapoint => {
      const point: Datapoint = { Timestamp: new Date(at), Unit: storedUnit as Datapoint['Unit'] };
      for (const stat of statistics) point[stat] = statistic(stat, samples);
      if (percentiles.length > 0) {
        point.ExtendedStatistics = Object.fromEntries(percentiles.map((p) => [p, statistic(p, samples)]));
      }
      return point;
    });
  return { Label: metric.metricName, Datapoints: datapoints };
}

function readStatistics(reader: InputReader): { statistics: Statistic[]; percentiles: string[] } {
  const statistics = reader.optionalStringArray('Statistics') ?? [];
  const percentiles = reader.optionalStringArray('ExtendedStatistics') ?? [];
  if ((statistics.length === 0) === (percentiles.length === 0)) {
    throw new AwsApiError(
      'InvalidParameterCombinationException',
      'Must specify either Statistics or ExtendedStatistics, but not both.',
    );
  }
  if (statistics.length > 5) reader.fail('The collection Statistics must have at most 5 elements.');
  if (percentiles.length > 10) reader.fail('The collection ExtendedStatistics must have at most 10 elements.');
  statistics.forEach((stat, index) => {
    if (!(STATISTICS as readonly string[]).includes(stat)) {
      reader.fail(
        `The parameter Statistics.member.${index + 1} must be a value in the set [ ${STATISTICS.join(', ')} ].`,
      );
    }
  });
  percentiles.forEach((stat, index) => {
    if (!stat.startsWith('p') || !isSupportedStat(stat)) {
      reader.fail(`The parameter ExtendedStatistics.member.${index + 1} must be a percentile such as p99.`);
    }
  });
  return { statistics: statistics as Statistic[], percentiles };
}
