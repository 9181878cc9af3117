import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { median } from '../../../src/canary/statistics/median.ts';
import {
  exactUpperTail,
  normalUpperTail,
  rankSumGreater,
  smallestRankSumP,
} from '../../../src/canary/statistics/rank-sum.ts';

describe('rankSumGreater', () => {
  it("gives the R documentation's exact example", () => {
    // R documentation of wilcox.test (Hollander & Wolfe 1973, p. 69f), permeability at term (x) and at
    // 12 to 26 weeks (y): wilcox.test(x, y, alternative = "g") prints W = 35, p-value = 0.1272.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = rankSumGreater(x, y);
    expect(result.u).toBe(35);
    expect(result.method).toBe('exact');
    expect(result.p.toFixed(4)).toBe('0.1272');
  });

  it("gives SciPy's mannwhitneyu example, exact and asymptotic", () => {
    // SciPy documentation of scipy.stats.mannwhitneyu: males = [19, 22, 16, 29, 24], females = [20, 11, 17, 12];
    // method="exact" prints U1 = 17.0, p = 0.1111111111111111 (two-sided: twice the one-sided tail, 7/126);
    // method="asymptotic" prints p = 0.11134688653314041 (two-sided, continuity-corrected).
    const result = rankSumGreater([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(result.u).toBe(17);
    expect(result.p).toBeCloseTo(0.1111111111111111 / 2, 12);
    expect(normalUpperTail(17, 5, 4)).toBeCloseTo(0.11134688653314041 / 2, 12);
  });

  it('uses the normal approximation with the tie correction when values tie', () => {
    // By hand, R's formula: x = (2, 2), y = (1, 1): ranks 3.5, 3.5 | 1.5, 1.5, U = 4, Σ(t³ - t) = 12,
    // σ² = (2·2/12)·(5 - 12/12) = 4/3, z = (4 - 2 - 0.5)/√(4/3) = 1.2990, P(Z ≥ z) = 0.09697.
    const result = rankSumGreater([2, 2], [1, 1]);
    expect(result).toMatchObject({ u: 4, method: 'normal' });
    expect(result.p.toFixed(5)).toBe('0.09697');
  });

  it('gives exact fractions for tiny samples', () => {
    // All of x above all of y: one arrangement of C(4,2) = 6.
    expect(rankSumGreater([3, 4], [1, 2]).p).toBeCloseTo(1 / 6, 12);
    expect(rankSumGreater([1, 2], [3, 4]).p).toBe(1);
    expect(smallestRankSumP(3, 3)).toBeCloseTo(1 / 20, 12);
    expect(smallestRankSumP(6, 6)).toBeCloseTo(1 / 924, 12);
  });

  it('has a distribution that sums to one and is symmetric', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (m, n) => {
        expect(exactUpperTail(0, m, n)).toBeCloseTo(1, 12);
        for (let u = 0; u <= m * n; u++) {
          // P(U ≥ u) = P(U ≤ mn - u) = 1 - P(U ≥ mn - u + 1)
          expect(exactUpperTail(u, m, n)).toBeCloseTo(1 - exactUpperTail(m * n - u + 1, m, n), 12);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('is a probability that never calls both sides greater', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const p = rankSumGreater(x, y).p;
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(p + rankSumGreater(y, x).p).toBeGreaterThanOrEqual(1 - 1e-9);
      }),
    );
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
