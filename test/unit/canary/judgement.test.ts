import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { judgeErrorRate } from '../../../src/canary/error-rate.ts';
import { judgeCanary, metricAlphas } from '../../../src/canary/judgement.ts';
import { type AnalysisPolicy, DEFAULT_ANALYSIS } from '../../../src/canary/policy.ts';
import type { CanaryMetrics } from '../../../src/canary/ports/metrics.ts';
import { judgeLatency } from '../../../src/canary/values.ts';

// Six periods a side: the fewest whose paired log ratios alone (no history) can
// reach the default policy's level for latency while both revisions share
// production (0.01, nine tenths to that sequence, two of three shares: 0.006). Alike
// differences give the mixture's largest Λ, (1 + 6τ²)^(5/2) = 14.5^2.5 ≈ 800.
const STEADY = [0.176, 0.181, 0.179, 0.182, 0.183, 0.178];
const SLOW = [0.41, 0.42, 0.4, 0.414, 0.43, 0.405];

function readings(overrides: Partial<CanaryMetrics> = {}): CanaryMetrics {
  return {
    counts: { canary: { requests: 600, errors: 1 }, baseline: { requests: 600, errors: 1 } },
    latency: { canary: STEADY, baseline: STEADY },
    custom: [],
    ...overrides,
  };
}

const policy = (metrics: Partial<AnalysisPolicy['metrics']> = {}): AnalysisPolicy => ({
  ...DEFAULT_ANALYSIS,
  metrics: { ...DEFAULT_ANALYSIS.metrics, ...metrics },
});

describe('metricAlphas', () => {
  it('gives latency two shares of nine tenths while both revisions share production, then splits a tenth evenly', () => {
    expect(metricAlphas(DEFAULT_ANALYSIS, 'shared')).toEqual({ errorRate: 0.003, latency: 0.006, custom: 0.003 });
    expect(metricAlphas(DEFAULT_ANALYSIS, 'shifted')).toEqual({ errorRate: 0.0005, latency: 0.0005, custom: 0.0005 });
  });

  it('spends exactly 1 - confidence over the metrics the policy names and both sequences', () => {
    const orders = { name: 'orders', namespace: 'Shop', metricName: 'Orders', dimensions: [], statistic: 'Sum' };
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 5 }),
        (confidence, errorRate, latency, customs) => {
          fc.pre(errorRate || latency || customs > 0);
          const metrics = {
            ...(errorRate ? { errorRate: { maxIncrease: 0.01 } } : {}),
            ...(latency ? { latency: { maxIncreaseRatio: 0.2, minIncreaseMs: 5 } } : {}),
            custom: Array.from({ length: customs }, () => ({
              ...orders,
              direction: 'increase-is-bad' as const,
              maxChangeRatio: 0.1,
            })),
          };
          const spent = (['shared', 'shifted'] as const).reduce((total, sequence) => {
            const alpha = metricAlphas({ confidence, metrics }, sequence);
            return total + (errorRate ? alpha.errorRate : 0) + (latency ? alpha.latency : 0) + customs * alpha.custom;
          }, 0);
          expect(spent).toBeCloseTo(1 - confidence, 9);
        },
      ),
    );
  });
});

describe('judgeCanary: error rate', () => {
  it('fails a canary answering 30% errors, naming the deciding numbers', () => {
    const judged = judgeCanary(
      readings({ counts: { canary: { requests: 302, errors: 91 }, baseline: { requests: 298, errors: 1 } } }),
      policy(),
    );
    expect(judged.verdict).toBe('fail');
    expect(judged.reason).toBe('error rate 30.1% (91/302) vs 0.3% (1/298), p < 0.0001, +29.8 points > 1 point allowed');
    expect(judged.metrics[0]).toMatchObject({
      metric: 'error-rate',
      verdict: 'fail',
      canary: { requests: 302, errors: 91 },
      baseline: { requests: 298, errors: 1 },
    });
  });

  it('passes a significant but negligible increase (the effect gate)', () => {
    // 3.0% against 2.0% over 10,000 requests each is significant (z ≈ 4.5) but +1 point ≤ 2 allowed.
    const counts = { canary: { requests: 10_000, errors: 300 }, baseline: { requests: 10_000, errors: 200 } };
    const judged = judgeErrorRate(counts, { alpha: 0.0025, minimumRequests: 100, maxIncrease: 0.02 });
    expect(judged.verdict).toBe('pass');
    expect(judged.p).toBeLessThan(0.0025);
    expect(judged.reason).toBe(
      'error rate 3.0% (300/10000) vs 2.0% (200/10000), p = 0.00021, +1.0 points ≤ 2 points allowed',
    );
    expect(judgeErrorRate(counts, { alpha: 0.0025, minimumRequests: 100, maxIncrease: 0.005 }).verdict).toBe('fail');
  });

  it('passes a large increase over counts too small to be significant', () => {
    const judged = judgeErrorRate(
      { canary: { requests: 100, errors: 2 }, baseline: { requests: 100, errors: 0 } },
      { alpha: 0.0025, minimumRequests: 100, maxIncrease: 0.01 },
    );
    expect(judged.verdict).toBe('pass');
    // Both errors on the canary, whose share is π₀ = 1/2: Λ is the mean over the ratios ρ of (2ρ/(ρ + 1))².
    const ratios = [1.5, 2.5, 4, 8, 16];
    const likelihood = ratios.reduce((sum, ratio) => sum + ((2 * ratio) / (ratio + 1)) ** 2, 0) / ratios.length;
    expect(judged.p).toBeCloseTo(1 / likelihood, 12);
    expect(judged.reason).toBe('error rate 2.0% (2/100) vs 0.0% (0/100), p = 0.39: no significant increase');
  });

  it('passes zero errors on both sides', () => {
    const judged = judgeCanary(
      readings({ counts: { canary: { requests: 500, errors: 0 }, baseline: { requests: 480, errors: 0 } } }),
      policy(),
    );
    expect(judged.verdict).toBe('pass');
    expect(judged.metrics[0]).toMatchObject({ verdict: 'pass', p: 1, increase: 0 });
  });

  it('waits for minimumRequests on each side before a pass', () => {
    const judged = judgeCanary(
      readings({ counts: { canary: { requests: 42, errors: 1 }, baseline: { requests: 900, errors: 9 } } }),
      policy({ latency: undefined }),
    );
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.reason).toBe('error rate not judged: 42 canary and 900 baseline requests, 100 needed on each side');
  });

  it('fails a failure significant on few requests at once: no minimum sample for a failure', () => {
    const judged = judgeCanary(
      readings({ counts: { canary: { requests: 42, errors: 30 }, baseline: { requests: 900, errors: 0 } } }),
      policy({ latency: undefined }),
    );
    expect(judged.verdict).toBe('fail');
    expect(judged.reason).toBe('error rate 71.4% (30/42) vs 0.0% (0/900), p < 0.0001, +71.4 points > 1 point allowed');
  });

  it('never passes a canary whose swap with the baseline fails, and fails more as its errors grow', () => {
    const counts = fc
      .record({ requests: fc.integer({ min: 100, max: 2000 }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ requests, share }) => ({ requests, errors: Math.floor(requests * share * 0.5) }));
    const gate = { alpha: 0.0025, minimumRequests: 100, maxIncrease: 0.01 };
    fc.assert(
      fc.property(counts, counts, (canary, baseline) => {
        const judged = judgeErrorRate({ canary, baseline }, gate);
        expect(judged.p).toBeGreaterThanOrEqual(0);
        expect(judged.p).toBeLessThanOrEqual(1);
        if (judged.verdict === 'fail') {
          expect(judgeErrorRate({ canary: baseline, baseline: canary }, gate).verdict).toBe('pass');
          const worse = { ...canary, errors: Math.min(canary.requests, canary.errors + 1) };
          expect(judgeErrorRate({ canary: worse, baseline }, gate).verdict).toBe('fail');
        }
      }),
    );
  });
});

describe('judgeCanary: latency', () => {
  it('fails a canary slower in every period beyond the gate', () => {
    const judged = judgeCanary(readings({ latency: { canary: SLOW, baseline: STEADY } }), policy());
    expect(judged.verdict).toBe('fail');
    expect(judged.reason).toBe(
      'latency median 412 ms vs 180 ms (6 vs 6 periods), p = 0.0013, +232 ms (+129%) > +20% and +5 ms allowed',
    );
    expect(judged.metrics[1]).toMatchObject({ metric: 'latency', verdict: 'fail', alpha: 0.006 });
    // Nearly alike ratios: close to the largest evidence six pairs can give.
    expect(judged.metrics[1]?.logRatio).toBeLessThanOrEqual(2.5 * Math.log(1 + 6 * 1.5 ** 2));
    expect(judged.metrics[1]?.logRatio).toBeGreaterThan(-Math.log(0.006));
  });

  it('passes a canary slower in every period by 2 ms: significant, below the gate', () => {
    const baseline = [0.18, 0.1802, 0.1804, 0.1806, 0.1808, 0.181];
    const canary = baseline.map((seconds) => seconds + 0.002);
    const judged = judgeCanary(readings({ latency: { canary, baseline } }), policy());
    expect(judged.verdict).toBe('pass');
    expect(judged.metrics[1]).toMatchObject({ verdict: 'pass', p: expect.closeTo(0.00125, 5) });
    expect(judged.metrics[1]?.reason).toContain('+2 ms (+1%) within +20% and +5 ms allowed');
  });

  it('passes a fast service 60% slower by 3 ms: beyond the ratio, within the milliseconds', () => {
    const baseline = [0.005, 0.0051, 0.0049, 0.0052, 0.0048, 0.00505];
    const canary = baseline.map((seconds) => seconds + 0.003);
    const judged = judgeCanary(readings({ latency: { canary, baseline } }), policy());
    expect(judged.verdict).toBe('pass');
    expect(judged.metrics[1]?.reason).toContain('+3 ms (+60%) within +20% and +5 ms allowed');
  });

  it('has no data while the periods are too few to reach significance', () => {
    // 3 pairs: the largest Λ is (1 + 3τ²)^1 = 7.75, so p never falls below 0.13.
    const judged = judgeCanary(
      readings({ latency: { canary: SLOW.slice(0, 3), baseline: STEADY.slice(0, 3) } }),
      policy(),
    );
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.reason).toBe(
      'latency not judged: 3 canary and 3 baseline periods cannot show a difference at p < 0.006',
    );
  });
});

describe("judgeCanary: latency with the stable revision's history", () => {
  // An hour of the stable revision, steady within about 2 %.
  const HOUR = Array.from({ length: 60 }, (_, minute) => 0.18 * (1 + 0.02 * Math.sin(minute * 1.7)));
  const threePeriods = (canaryRequests: number): CanaryMetrics => ({
    counts: {
      canary: { requests: canaryRequests, errors: 0, periods: 3 },
      baseline: { requests: 9000, errors: 5, periods: 3 },
    },
    latency: { canary: SLOW.slice(0, 3), baseline: STEADY.slice(0, 3) },
    latencyHistory: HOUR,
    custom: [],
  });

  it('fails a canary more than twice as slow on three periods, the noise learnt from the hour before', () => {
    const judged = judgeCanary(threePeriods(900), policy());
    expect(judged.verdict).toBe('fail');
    // 3 pairs alone can give at most ln Λ = ln 7.75; 59 more degrees for the scale give far more.
    expect(judged.metrics[1]?.logRatio).toBeGreaterThan(-Math.log(0.006));
  });

  it("judges the pairs alone when the canary's periods average fewer than 200 requests", () => {
    const judged = judgeCanary(threePeriods(450), policy());
    expect(judged.verdict).toBe('pass');
    expect(judged.metrics[1]).toMatchObject({ metric: 'latency', verdict: 'pending' });
    expect(judged.metrics[1]?.reason).toContain('too few to show a difference at p < 0.006');
  });
});

describe('judgeCanary: custom metrics', () => {
  const orders = {
    name: 'orders',
    namespace: 'Shop',
    metricName: 'OrdersPlaced',
    dimensions: [{ name: 'TargetGroup', value: '{{targetGroup}}' }],
    statistic: 'Sum',
    direction: 'decrease-is-bad' as const,
    maxChangeRatio: 0.1,
  };

  it('fails a canary whose metric falls in the harmful direction', () => {
    // The periods' differences in the harmful direction (baseline - canary): 5, 5, 5, 5, 6, 5.
    const custom = [{ name: 'orders', canary: [5, 6, 4, 5, 6, 5], baseline: [10, 11, 9, 10, 12, 10] }];
    const judged = judgeCanary(readings({ custom }), policy({ custom: [orders] }));
    expect(judged.verdict).toBe('fail');
    expect(judged.reason).toBe('orders median 5 vs 10 (6 vs 6 periods), p = 0.0015, a decrease of 50% > 10% allowed');
  });

  it('passes a rise of a metric whose decrease is bad', () => {
    const custom = [{ name: 'orders', canary: [10, 11, 9, 10, 12, 10], baseline: [5, 6, 4, 5, 6, 5] }];
    expect(judgeCanary(readings({ custom }), policy({ custom: [orders] })).verdict).toBe('pass');
  });

  it('has no data when the metric was not published', () => {
    const judged = judgeCanary(readings(), policy({ custom: [orders] }));
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.metrics[2]).toMatchObject({ metric: 'orders', verdict: 'no-data' });
  });
});

describe('judgeCanary: overall', () => {
  it('is inconclusive with no data at all, naming every metric', () => {
    const judged = judgeCanary(
      {
        counts: { canary: { requests: 0, errors: 0 }, baseline: { requests: 0, errors: 0 } },
        latency: { canary: [], baseline: [] },
        custom: [],
      },
      policy(),
    );
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.metrics.map((metric) => metric.verdict)).toEqual(['no-data', 'no-data']);
    expect(judged.reason).toContain('error rate not judged');
    expect(judged.reason).toContain('latency not judged');
  });

  it('fails on a failing metric even while another lacks data', () => {
    const judged = judgeCanary(
      readings({
        counts: { canary: { requests: 302, errors: 91 }, baseline: { requests: 298, errors: 1 } },
        latency: { canary: [0.2], baseline: [0.2] },
      }),
      policy(),
    );
    expect(judged.verdict).toBe('fail');
    expect(judged.reason).toMatch(/^error rate 30\.1%/);
  });

  it('passes on the error rate while latency is pending (the traffic spans too few periods yet), naming it', () => {
    const counts = {
      canary: { requests: 358, errors: 1, periods: 3 },
      baseline: { requests: 3244, errors: 3, periods: 3 },
    };
    const judged = judgeCanary(
      readings({ counts, latency: { canary: SLOW.slice(0, 3), baseline: STEADY.slice(0, 3) } }),
      policy(),
    );
    expect(judged.verdict).toBe('pass');
    expect(judged.metrics.map((metric) => metric.verdict)).toEqual(['pass', 'pending']);
    expect(judged.reason).toContain('latency pending: traffic so far spans 3 canary and 3 baseline periods');
  });

  it('is inconclusive when every metric is pending: nothing was judged', () => {
    const counts = {
      canary: { requests: 358, errors: 1, periods: 3 },
      baseline: { requests: 3244, errors: 3, periods: 3 },
    };
    const judged = judgeCanary(
      readings({ counts, latency: { canary: [0.2], baseline: [0.2] } }),
      policy({ errorRate: undefined }),
    );
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.metrics.map((metric) => metric.verdict)).toEqual(['pending']);
  });

  it('passes a healthy canary, stating each metric', () => {
    const judged = judgeCanary(readings(), policy());
    expect(judged.verdict).toBe('pass');
    expect(judged.reason).toBe(
      'error rate 0.2% (1/600) vs 0.2% (1/600), p = 1: no significant increase; latency median 180 ms vs 180 ms (6 vs 6 periods), p = 1: no significant increase',
    );
  });
});

describe('latency figures', () => {
  it('keep each side’s periods, median and newest period (what the dashboard charts a minute at a time)', () => {
    const counts = {
      canary: { requests: 600, errors: 0, periods: 3 },
      baseline: { requests: 5400, errors: 0, periods: 3 },
    };
    const judged = judgeLatency({ canary: [0.1, 0.3, Number.NaN], baseline: [0.1, 0.1, 0.12] }, counts, {
      alpha: 0.006,
      minimumRequests: 100,
      maxIncreaseRatio: 0.2,
      minIncreaseMs: 5,
    });
    expect(judged).toMatchObject({
      canary: { periods: 2, median: 0.2, latest: 0.3 },
      baseline: { periods: 3, median: 0.1, latest: 0.12 },
    });
  });
});
