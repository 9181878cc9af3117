// CloudWatch statistics over one period's samples. A sample is `count`
// observations whose sum, minimum and maximum are known: a single value, a
// PutMetricData Values/Counts pair, or a StatisticSet.

export interface Sample {
  /** Epoch milliseconds. */
  at: number;
  sum: number;
  count: number;
  min: number;
  max: number;
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/;

/** Whether CloudWatch would accept `stat` from the set the sandbox computes. */
export function isSupportedStat(stat: string): boolean {
  return ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'].includes(stat) || PERCENTILE.test(stat);
}

/** One statistic of `samples` (non-empty). Percentiles use the nearest rank, weighting each sample by its count. */
export function statistic(stat: string, samples: readonly Sample[]): number {
  switch (stat) {
    case 'SampleCount':
      return samples.reduce((n, s) => n + s.count, 0);
    case 'Sum':
      return samples.reduce((n, s) => n + s.sum, 0);
    case 'Average':
      return statistic('Sum', samples) / statistic('SampleCount', samples);
    case 'Minimum':
      return Math.min(...samples.map((s) => s.min));
    case 'Maximum':
      return Math.max(...samples.map((s) => s.max));
  }
  const match = PERCENTILE.exec(stat);
  if (!match?.[1]) throw new RangeError(`unsupported statistic ${stat}`);
  const sorted = [...samples].sort((a, b) => a.sum / a.count - b.sum / b.count);
  const total = statistic('SampleCount', sorted);
  const rank = Math.max(1, Math.ceil((Number(match[1]) / 100) * total));
  let seen = 0;
  for (const sample of sorted) {
    seen += sample.count;
    if (seen >= rank) return sample.sum / sample.count;
  }
  return sorted.at(-1)?.max ?? Number.NaN;
}
