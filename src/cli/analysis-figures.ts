// One analysis as a compact line for `release watch` and `release logs`: when
// it was judged, its verdict and decision, then each metric's figures (error
// counts and rates canary vs baseline, medians, the statistic and the metric's
// verdict). The figures are canary-check's, read defensively: the judgement
// owns their shape and may add or rename fields, so whatever is not recognised
// is left out rather than failing the command.

/** An analysis as the release record keeps it, or as a CanaryCheck state's output holds it. */
export interface AnalysisFigures {
  verdict: string;
  decision?: string;
  window?: { start: string; end: string };
  metrics?: readonly Record<string, unknown>[];
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const numberIn = (fields: Fields, key: string): number | undefined =>
  typeof fields[key] === 'number' && Number.isFinite(fields[key]) ? fields[key] : undefined;

// Statistics a judgement may report besides p, by the names a reader knows them by.
const STATISTICS: readonly (readonly [string, string])[] = [
  ['p', 'p'],
  ['pValue', 'p'],
  ['alwaysValidP', 'p'],
  ['statistic', 'stat'],
  ['logLikelihoodRatio', 'LLR'],
  ['llr', 'LLR'],
  ['z', 'z'],
  ['eValue', 'e'],
];

/** `12:03:00 fail → rollback · error-rate 37/125 29.6% vs 2/1130 0.2% p<0.0001 fail · latency p50 812 vs 20 ms p=0.01 fail`. */
export function formatAnalysisFigures(analysis: AnalysisFigures): string {
  const time = analysis.window ? `${clock(analysis.window.end)} ` : '';
  const head = `${time}${analysis.verdict}${analysis.decision ? ` → ${analysis.decision}` : ''}`;
  return [head, ...(analysis.metrics ?? []).map(metricFigures)].join(' · ');
}

/** Whether an analysis carries figures beyond each metric's verdict and reason (counts, medians or a statistic). */
export function hasFigures(analysis: AnalysisFigures): boolean {
  return (analysis.metrics ?? []).some((metric) => sides(metric) !== undefined || statistic(metric) !== undefined);
}

function metricFigures(metric: Fields): string {
  const name = typeof metric.metric === 'string' ? metric.metric : 'metric';
  const parts = [
    name,
    sides(metric),
    statistic(metric),
    typeof metric.verdict === 'string' ? metric.verdict : undefined,
  ];
  return parts.filter((part) => part !== undefined).join(' ');
}

// The two sides' counts and rates, or their medians.
function sides(metric: Fields): string | undefined {
  const { canary, baseline } = metric;
  if (!isFields(canary) || !isFields(baseline)) return undefined;
  const counts = (side: Fields) => {
    const requests = numberIn(side, 'requests');
    const errors = numberIn(side, 'errors');
    if (requests === undefined || errors === undefined) return undefined;
    const rate = numberIn(side, 'rate') ?? (requests === 0 ? 0 : errors / requests);
    return `${errors}/${requests} ${(rate * 100).toFixed(1)}%`;
  };
  const [c, b] = [counts(canary), counts(baseline)];
  if (c !== undefined && b !== undefined) return `${c} vs ${b}`;
  const [cm, bm] = [numberIn(canary, 'median'), numberIn(baseline, 'median')];
  if (cm === undefined || bm === undefined) return undefined;
  // ALB's TargetResponseTime is in seconds; other metrics are shown in their own unit.
  const latency = String(metric.metric).toLowerCase().includes('latency');
  const value = (median: number) =>
    latency ? String(Math.round(median * 1000)) : String(Number(median.toPrecision(3)));
  return `p50 ${value(cm)} vs ${value(bm)}${latency ? ' ms' : ''}`;
}

function statistic(metric: Fields): string | undefined {
  for (const [key, label] of STATISTICS) {
    const value = numberIn(metric, key);
    if (value === undefined) continue;
    if (label === 'p' && value < 0.0001) return 'p<0.0001';
    return `${label}=${Number(value.toPrecision(2))}`;
  }
  return undefined;
}

// The UTC time of day an analysis ended: `12:03:00`.
const clock = (instant: string) => {
  const time = new Date(instant);
  return Number.isNaN(time.getTime()) ? instant : time.toISOString().slice(11, 19);
};
