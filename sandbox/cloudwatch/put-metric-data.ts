import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import { readDimensions, readNumbers } from './metric-input.ts';
import type { MetricId, MetricStore } from './metric-store.ts';
import type { Sample } from './statistics.ts';
import { CLOUDWATCH_WIRE } from './wire.ts';

/** PutMetricData: every datum validated before any is stored, so a bad request changes nothing. */
export function putMetricData(store: MetricStore, reader: InputReader): Record<string, never> {
  const namespace = reader.string('Namespace');
  if (namespace.startsWith('AWS/')) reader.fail(`The value ${namespace} for parameter Namespace is invalid.`);
  const data = reader.objects('MetricData');
  if (data.length === 0 || data.length > 1000) {
    throw new AwsApiError(
      CLOUDWATCH_WIRE.errors.missing,
      'The parameter MetricData is required and can have at most 1000 items.',
    );
  }
  const writes = data.map((datum) => {
    const id: MetricId = { namespace, metricName: datum.string('MetricName'), dimensions: readDimensions(datum) };
    const at = datum.optionalDate('Timestamp')?.getTime() ?? store.now();
    const unit = datum.optionalString('Unit');
    return { id, unit, samples: readSamples(datum, at) };
  });
  for (const write of writes) {
    for (const sample of write.samples) store.putSample(write.id, sample, write.unit);
  }
  return {};
}

function readSamples(datum: InputReader, at: number): Sample[] {
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
  const list = readNumbers(datum, 'Values');
  const counts = datum.has('Counts') ? readNumbers(datum, 'Counts') : list.map(() => 1);
  if (counts.length !== list.length) {
    throw new AwsApiError('InvalidParameterCombinationException', 'Values and Counts must have the same length.');
  }
  return list.map((v, i) => {
    const count = counts[i] ?? 1;
    return { at, sum: v * count, count, min: v, max: v };
  });
}
