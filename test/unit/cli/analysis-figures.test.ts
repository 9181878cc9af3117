import { formatAnalysisFigures, hasFigures } from '../../../src/cli/analysis-figures.ts';
import { analysisAt } from '../../fixtures/release/kept-analysis.ts';

// The compact line `release watch` and `release logs` print per analysis.

describe('an analysis on one line', () => {
  it("shows the time, verdict, decision and each metric's counts, rates, medians, statistic and verdict", () => {
    expect(formatAnalysisFigures(analysisAt(3))).toBe(
      '10:03:00 pass → wait · error-rate 3/600 0.5% vs 27/5400 0.5% p=0.52 pass · latency p50 21 vs 20 ms pass',
    );
  });

  it('shows a sequential statistic where there is no p, and a tiny p as a bound', () => {
    const analysis = {
      verdict: 'fail',
      decision: 'rollback',
      window: { start: '2026-12-06T10:00:00.000Z', end: '2026-12-06T10:02:30.000Z' },
      metrics: [
        {
          metric: 'errorRate',
          verdict: 'fail',
          reason: 'r',
          canary: { requests: 125, errors: 37 },
          baseline: { requests: 1130, errors: 2 },
          logLikelihoodRatio: 14.237,
        },
        {
          metric: 'latency',
          verdict: 'pass',
          reason: 'r',
          canary: { median: 0.8123 },
          baseline: { median: 0.02 },
          p: 0.00001,
        },
        { metric: 'orders', verdict: 'no-data', reason: 'r', canary: { median: 41.26 }, baseline: { median: 40 } },
      ],
    };
    expect(formatAnalysisFigures(analysis)).toBe(
      '10:02:30 fail → rollback · errorRate 37/125 29.6% vs 2/1130 0.2% LLR=14 fail · latency p50 812 vs 20 ms p<0.0001 pass · orders p50 41.3 vs 40 no-data',
    );
    expect(hasFigures(analysis)).toBe(true);
  });

  it('leaves out what it does not recognise, and says when there are no figures at all', () => {
    const bare = { verdict: 'inconclusive', metrics: [{ metric: 'errorRate', verdict: 'no-data', canary: 'n/a' }] };
    expect(formatAnalysisFigures(bare)).toBe('inconclusive · errorRate no-data');
    expect(hasFigures(bare)).toBe(false);
    expect(hasFigures({ verdict: 'pass' })).toBe(false);
  });
});
