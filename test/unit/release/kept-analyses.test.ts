import {
  type KeptAnalysis,
  keptAnalysisOf,
  MAX_ANALYSIS_BYTES,
  MAX_KEPT_ANALYSES,
  withAnalysis,
} from '../../../src/release/kept-analyses.ts';
import { analysisAt } from '../../fixtures/release/kept-analysis.ts';

// What a release record keeps of each analysis: bounded, plain JSON, once per window.

const size = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe('keptAnalysisOf', () => {
  it('keeps the figures as canary-check gave them', () => {
    expect(keptAnalysisOf(analysisAt(3))).toEqual(analysisAt(3));
  });

  it('drops what DynamoDB cannot hold: undefined fields, NaN and Infinity become absent or null', () => {
    const analysis = analysisAt(1);
    const odd = {
      ...analysis,
      metrics: [{ metric: 'latency', verdict: 'pass', reason: 'r', ratio: Number.NaN, p: undefined, z: Infinity }],
    };
    expect(keptAnalysisOf(odd).metrics).toEqual([
      { metric: 'latency', verdict: 'pass', reason: 'r', ratio: null, z: null },
    ]);
  });

  it(`stays under ${MAX_ANALYSIS_BYTES} bytes: long reasons clipped, then oversized figures reduced to verdict and reason`, () => {
    const analysis = analysisAt(1);
    const long: KeptAnalysis = { ...analysis, reason: 'x'.repeat(10_000) };
    expect(keptAnalysisOf(long).reason).toHaveLength(600);
    const heavy: KeptAnalysis = {
      ...analysis,
      metrics: analysis.metrics.map((metric) => ({ ...metric, periods: Array.from({ length: 2000 }, (_, i) => i) })),
    };
    const kept = keptAnalysisOf(heavy);
    expect(size(kept)).toBeLessThanOrEqual(MAX_ANALYSIS_BYTES);
    expect(kept.metrics).toEqual(analysis.metrics.map(({ metric, verdict, reason }) => ({ metric, verdict, reason })));
    const many: KeptAnalysis = {
      ...analysis,
      metrics: Array.from({ length: 200 }, () => analysis.metrics[0]).flatMap((m) => (m ? [m] : [])),
    };
    expect(size(keptAnalysisOf(many))).toBeLessThanOrEqual(MAX_ANALYSIS_BYTES);
  });
});

describe('withAnalysis', () => {
  it('adds a new window, counts it, and adds none twice', () => {
    const one = withAnalysis({ analyses: [], recorded: 0 }, analysisAt(1));
    expect(one).toEqual({ analyses: [analysisAt(1)], recorded: 1 });
    expect(withAnalysis(one ?? { analyses: [], recorded: 0 }, analysisAt(1))).toBeUndefined();
  });

  it(`keeps the newest ${MAX_KEPT_ANALYSES}: a record of the largest analyses stays far under DynamoDB's 400 KB`, () => {
    let kept = { analyses: [] as KeptAnalysis[], recorded: 0 };
    for (let minute = 1; minute <= MAX_KEPT_ANALYSES + 3; minute++)
      kept = withAnalysis(kept, analysisAt(minute)) ?? kept;
    expect(kept.recorded).toBe(MAX_KEPT_ANALYSES + 3);
    expect(kept.analyses.map((analysis) => analysis.window.end)).toEqual(
      Array.from({ length: MAX_KEPT_ANALYSES }, (_, i) => analysisAt(i + 4).window.end),
    );
    expect(MAX_KEPT_ANALYSES * MAX_ANALYSIS_BYTES).toBeLessThanOrEqual(300_000);
  });
});
