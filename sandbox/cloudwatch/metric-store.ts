import type { Sample } from './statistics.ts';

// Raw samples per metric (namespace, name and exact dimension set, as in
// CloudWatch: a different dimension set is a different metric). Samples are
// kept raw so any period and percentile can be asked later; each series keeps
// at most `maxSamplesPerSeries`, dropping the oldest, and nothing older than
// the retention.

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
}

interface Series extends MetricId {
  unit?: string;
  samples: Sample[];
}

const keyOf = (id: MetricId): string =>
  JSON.stringify([
    id.namespace,
    id.metricName,
    [...id.dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => [d.Name, d.Value]),
  ]);

export interface MetricStoreOptions {
  maxSamplesPerSeries?: number;
  retentionMs?: number;
  /** CloudWatch's clock (the sandbox's, sandbox/clock.ts): what an unstamped sample is stamped with. */
  now?: () => number;
}

export class MetricStore {
  readonly #series = new Map<string, Series>();
  readonly #maxSamples: number;
  readonly #retentionMs: number;
  /** Epoch milliseconds on CloudWatch's clock. */
  readonly now: () => number;

  constructor(options: MetricStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.#maxSamples = options.maxSamplesPerSeries ?? 100_000;
    // Seven days: the longest range an alarm evaluates (Period × EvaluationPeriods).
    this.#retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
  }

  /** Records one value (or `count` identical ones) at `at`. */
  put(id: MetricId, value: number, options: { at?: number; count?: number; unit?: string } = {}): void {
    const count = options.count ?? 1;
    this.putSample(
      id,
      { at: options.at ?? this.now(), sum: value * count, count, min: value, max: value },
      options.unit,
    );
  }

  putSample(id: MetricId, sample: Sample, unit?: string): void {
    const key = keyOf(id);
    let series = this.#series.get(key);
    if (!series) {
      series = { ...id, dimensions: id.dimensions.map((d) => ({ ...d })), samples: [] };
      this.#series.set(key, series);
    }
    if (unit !== undefined) series.unit ??= unit;
    series.samples.push(sample);
    // Out-of-order writes (PutMetricData with an old Timestamp) keep the array sorted.
    if (series.samples.length > 1 && (series.samples.at(-2)?.at ?? 0) > sample.at) {
      series.samples.sort((a, b) => a.at - b.at);
    }
    this.#trim(series);
  }

  #trim(series: Series): void {
    const oldest = this.now() - this.#retentionMs;
    let drop = Math.max(0, series.samples.length - this.#maxSamples);
    while (drop < series.samples.length && (series.samples[drop]?.at ?? 0) < oldest) drop++;
    if (drop > 0) series.samples.splice(0, drop);
  }

  /** The samples of exactly this metric in [from, to). */
  samples(id: MetricId, from: number, to: number): Sample[] {
    const series = this.#series.get(keyOf(id));
    return series ? series.samples.filter((s) => s.at >= from && s.at < to) : [];
  }

  /** The unit the metric was first written with, if any. */
  unit(id: MetricId): string | undefined {
    return this.#series.get(keyOf(id))?.unit;
  }

  /** Every metric, for ListMetrics. */
  metrics(): MetricId[] {
    return [...this.#series.values()].map(({ namespace, metricName, dimensions }) => ({
      namespace,
      metricName,
      dimensions: dimensions.map((d) => ({ ...d })),
    }));
  }
}
