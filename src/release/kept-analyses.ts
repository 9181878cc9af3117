import * as z from 'zod';

// Each canary analysis's figures, kept on the release record so that `release
// watch` and `release logs` (and anyone reading the table later) see why a
// canary was promoted or rolled back, analysis by analysis. The figures are
// canary-check's, stored as given: the judgement owns their shape. A record is
// one DynamoDB item (at most 400 KB), so the list is bounded: the newest
// MAX_KEPT_ANALYSES analyses, each at most MAX_ANALYSIS_BYTES, with the count
// of every analysis recorded so that a reader can say how many were dropped.

/** How many analyses a record keeps: the newest. */
export const MAX_KEPT_ANALYSES = 40;
/** The most one kept analysis may take, as JSON: 40 × 6 KB leaves the item room under 400 KB. */
export const MAX_ANALYSIS_BYTES = 6_000;
const MAX_REASON_CHARS = 600;

const instant = z.iso.datetime({ offset: true });
const window = z.object({ start: instant, end: instant });

/** One metric's figures as canary-check returned them (counts, rates, p or its sequential statistic, verdict). */
export const keptMetricSchema = z.looseObject({ metric: z.string(), verdict: z.string(), reason: z.string() });
export type KeptMetric = z.infer<typeof keptMetricSchema>;

/** An analysis as the release record keeps it. */
export const keptAnalysisSchema = z.object({
  verdict: z.string(),
  decision: z.string(),
  reason: z.string(),
  window: window.extend({ baseline: window.optional() }),
  /** The new revision's share of production traffic when it was judged (percent). */
  productionWeight: z.number().optional(),
  metrics: z.array(keptMetricSchema),
});
export type KeptAnalysis = z.infer<typeof keptAnalysisSchema>;

/** The analyses of one record and how many were ever recorded (more than kept once the oldest are dropped). */
export interface KeptAnalyses {
  analyses: KeptAnalysis[];
  recorded: number;
}

const encoder = new TextEncoder();
const bytes = (value: unknown) => encoder.encode(JSON.stringify(value)).length;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The analysis in its kept form: plain JSON (DynamoDB takes no undefined,
 * NaN or Infinity), its reasons clipped and, should the figures still be too
 * big, each metric reduced to its name, verdict and reason.
 */
export function keptAnalysisOf(analysis: KeptAnalysis): KeptAnalysis {
  const plain = keptAnalysisSchema.parse(JSON.parse(JSON.stringify(analysis)));
  const kept: KeptAnalysis = {
    ...plain,
    reason: clip(plain.reason, MAX_REASON_CHARS),
    metrics: plain.metrics.map((metric) => ({ ...metric, reason: clip(metric.reason, MAX_REASON_CHARS) })),
  };
  if (bytes(kept) <= MAX_ANALYSIS_BYTES) return kept;
  const reduced = {
    ...kept,
    metrics: kept.metrics.map(({ metric, verdict, reason }) => ({ metric, verdict, reason })),
  };
  if (bytes(reduced) <= MAX_ANALYSIS_BYTES) return reduced;
  return { ...reduced, metrics: [] };
}

const sameWindow = (a: KeptAnalysis, b: KeptAnalysis) =>
  a.window.start === b.window.start && a.window.end === b.window.end;

/**
 * `kept` with `next` added, the oldest dropped beyond MAX_KEPT_ANALYSES;
 * undefined when `next` is kept already (a retried step names the same window).
 */
export function withAnalysis(kept: KeptAnalyses, next: KeptAnalysis): KeptAnalyses | undefined {
  if (kept.analyses.some((analysis) => sameWindow(analysis, next))) return undefined;
  return { analyses: [...kept.analyses, next].slice(-MAX_KEPT_ANALYSES), recorded: kept.recorded + 1 };
}
