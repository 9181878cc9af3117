import type { MetricId, MetricStore } from './metric-store.ts';
import type { Sample } from './statistics.ts';

/**
 * The samples of a metric in [start, end) grouped by period, keyed by the
 * period's start. Periods start on multiples of the period since the epoch,
 * as CloudWatch aligns them; a period without samples is absent, not zero.
 */
export function periodsOf(
  store: MetricStore,
  metric: MetricId,
  periodMs: number,
  start: number,
  end: number,
): Map<number, Sample[]> {
  const from = Math.floor(start / periodMs) * periodMs;
  const periods = new Map<number, Sample[]>();
  for (const sample of store.samples(metric, from, end)) {
    const at = Math.floor(sample.at / periodMs) * periodMs;
    const list = periods.get(at);
    if (list) list.push(sample);
    else periods.set(at, [sample]);
  }
  return periods;
}
