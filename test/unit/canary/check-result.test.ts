import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canaryCheckResultSchema } from '../../../src/canary/check-schema.ts';
import { judgeCanary } from '../../../src/canary/judgement.ts';
import { DEFAULT_ANALYSIS } from '../../../src/canary/policy.ts';

// What canary-check returns is Step Functions state data (256 KB for the whole
// execution's state): each metric's figures, never its datapoints.

const custom = Array.from({ length: 20 }, (_, index) => ({
  name: `metric-${index}`,
  namespace: 'Shop',
  metricName: `Metric${index}`,
  dimensions: [{ name: 'TargetGroup', value: '{{targetGroup}}' }],
  statistic: 'Average',
  direction: 'increase-is-bad' as const,
  maxChangeRatio: 0.1,
}));
const policy = { ...DEFAULT_ANALYSIS, metrics: { ...DEFAULT_ANALYSIS.metrics, custom } };

const reading = fc.record({
  requests: fc.integer({ min: 0, max: 10_000_000 }),
  errors: fc.integer({ min: 0, max: 10_000_000 }),
  periods: fc.integer({ min: 0, max: 1_440 }),
});
const series = fc.array(fc.double({ min: -1e6, max: 1e6 }), { minLength: 60, maxLength: 1_440 });

describe('the canary check result', () => {
  it('keeps each metric’s figures within its schema and a few kilobytes, whatever was read', () => {
    fc.assert(
      fc.property(reading, reading, series, series, (canary, baseline, canarySeries, baselineSeries) => {
        const judged = judgeCanary(
          {
            counts: { canary, baseline },
            latency: { canary: canarySeries, baseline: baselineSeries },
            custom: custom.map(({ name }) => ({ name, canary: canarySeries, baseline: baselineSeries })),
          },
          policy,
        );
        const result = {
          ...judged,
          decision: 'continue',
          history: { failures: 0, inconclusive: 0, extended: 0 },
          release: { analyses: 1 },
          window: { start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T10:05:00.000Z' },
        };
        // Through JSON, as Step Functions passes it on.
        const parsed = canaryCheckResultSchema.safeParse(JSON.parse(JSON.stringify(result)));
        expect(parsed.error).toBeUndefined();
        expect(judged.metrics).toHaveLength(22);
        expect(JSON.stringify(result).length).toBeLessThan(24_000);
      }),
      { numRuns: 40 },
    );
  });
});
