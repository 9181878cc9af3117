import type { InputReader } from '../aws/input-reader.ts';
import type { Dimension, MetricId } from './metric-store.ts';

/** A metric (Namespace, MetricName, Dimensions) as the metric APIs name it. */
export function readMetric(metric: InputReader): MetricId {
  return {
    namespace: metric.string('Namespace'),
    metricName: metric.string('MetricName'),
    dimensions: readDimensions(metric),
  };
}

/** A metric's dimensions, at most 30. */
export function readDimensions(reader: InputReader): Dimension[] {
  const dimensions = reader.objects('Dimensions').map((d) => ({ Name: d.string('Name'), Value: d.string('Value') }));
  if (dimensions.length > 30) reader.fail(`${reader.path('Dimensions')} can have at most 30 dimensions.`);
  return dimensions;
}

/** A list of numbers (Query sends them as text). */
export function readNumbers(reader: InputReader, name: string): number[] {
  const value = reader.raw(name);
  const list = Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? Number(v) : v)) : undefined;
  if (!list || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    reader.fail(`${reader.path(name)} must be a list of numbers.`);
  }
  return list;
}

/** StartTime and EndTime in epoch milliseconds; the start must come first. */
export function readTimeRange(reader: InputReader): { start: number; end: number } {
  const start = reader.date('StartTime').getTime();
  const end = reader.date('EndTime').getTime();
  if (start >= end) reader.fail('The parameter StartTime must be less than the parameter EndTime.');
  return { start, end };
}
