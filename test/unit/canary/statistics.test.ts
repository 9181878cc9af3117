import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fisherExactGreater } from '../../../src/canary/statistics/fisher-exact.ts';
import { median } from '../../../src/canary/statistics/median.ts';
import {
  exactUpperTail,
  normalUpperTail,
  rankSumGreater,
  smallestRankSumP,
} from '../../../src/canary/statistics/rank-sum.ts';

describe('fisherExactGreater', () => {
  it("gives Fisher's tea-tasting p-value", () => {
    // R documentation of fisher.test (Agresti 1990, p. 61f; 2002, p. 91):
    // TeaTasting <- matrix(c(3, 1, 1, 3), nrow = 2); fisher.test(TeaTasting, alternative = "greater")
    // prints p-value = 0.2429; exactly (C(4,3)·C(4,1) + C(4,4)·C(4,0)) / C(8,4) = 17/70.
    const p = fisherExactGreater({ events: 3, trials: 4 }, { events: 1, trials: 4 });
    expect(p).toBeCloseTo(17 / 70, 12);
    expect(p.toFixed(4)).toBe('0.2429');
  });

  it("gives the convicted twins' p-value (a tail far from one half)", () => {
    // R documentation of fisher.test (Fisher 1962, 1970): Convictions <- matrix(c(2, 10, 15, 3), nrow = 2)
    // (dizygotic 2 convicted of 17, monozygotic 10 of 13); fisher.test(Convictions, alternative = "less")
    // prints p-value = 0.0004652: the monozygotic rate is the greater one.
    const p = fisherExactGreater({ events: 10, trials: 13 }, { events: 2, trials: 17 });
    expect(p.toPrecision(4)).toBe('0.0004652');
  });

  it('gives exact fractions for the smallest tables (enumerated by hand)', () => {
    // 1 of 1 against 0 of 1: of C(2,1) = 2 equally likely placements of the one error, one is on the worse side.
    expect(fisherExactGreater({ events: 1, trials: 1 }, { events: 0, trials: 1 })).toBeCloseTo(1 / 2, 12);
    // 2 of 2 against 0 of 2: one of C(4,2) = 6 placements puts both errors on the worse side.
    expect(fisherExactGreater({ events: 2, trials: 2 }, { events: 0, trials: 2 })).toBeCloseTo(1 / 6, 12);
    // 1 of 3 against 0 of 3: the error is on the worse side in C(5,2)/C(6,3) = 10/20 of the tables.
    expect(fisherExactGreater({ events: 1, trials: 3 }, { events: 0, trials: 3 })).toBeCloseTo(1 / 2, 12);
  });

  it('is 1 with no error anywhere, or errors everywhere', () => {
    expect(fisherExactGreater({ events: 0, trials: 500 }, { events: 0, trials: 480 })).toBe(1);
    expect(fisherExactGreater({ events: 7, trials: 7 }, { events: 9, trials: 9 })).toBe(1);
  });

  it('stays precise where p is tiny (no 1 - cdf cancellation)', () => {
    const p = fisherExactGreater({ events: 91, trials: 302 }, { events: 1, trials: 298 });
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-20);
  });

  it('is a probability, falls as the worse side gains errors, and never calls both sides worse', () => {
    const side = fc
      .record({ trials: fc.integer({ min: 1, max: 400 }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ trials, share }) => ({ trials, events: Math.floor(trials * share) }));
    fc.assert(
      fc.property(side, side, (worse, better) => {
        const p = fisherExactGreater(worse, better);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        if (worse.events < worse.trials) {
          expect(fisherExactGreater({ ...worse, events: worse.events + 1 }, better)).toBeLessThanOrEqual(p + 1e-12);
        }
        // P(X ≥ x) + P(X ≤ x) = 1 + P(X = x): at most one direction can be significant.
        expect(p + fisherExactGreater(better, worse)).toBeGreaterThanOrEqual(1 - 1e-9);
      }),
    );
  });
});

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
