import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { logNoiseHistory } from '../../../src/canary/statistics/noise-history.ts';
import { logMeanExp, rateRatioMixture } from '../../../src/canary/statistics/rate-ratio-mixture.ts';
import { largestPairedLogRatio, pairedMeanMixture } from '../../../src/canary/statistics/t-mixture.ts';

// Seeded draws for the checks that the tests keep their level however often they are looked at.
function generator(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const bernoulli = (trials: number, p: number) => {
    let events = 0;
    for (let i = 0; i < trials; i++) if (uniform() < p) events++;
    return events;
  };
  return { normal, bernoulli };
}

describe('rateRatioMixture', () => {
  it('is Λ = 1 (no evidence) without errors or without requests on a side', () => {
    expect(rateRatioMixture({ events: 0, trials: 500 }, { events: 0, trials: 9500 })).toEqual({ logRatio: 0, p: 1 });
    expect(rateRatioMixture({ events: 0, trials: 0 }, { events: 5, trials: 9500 })).toEqual({ logRatio: 0, p: 1 });
  });

  it('gives the mixture of likelihood ratios for one error on an even split, by hand', () => {
    // One error, π₀ = 1/2: each ratio's likelihood ratio is π/π₀ = 2ρ/(ρ + 1).
    const ratios = [1.5, 2.5, 4, 8, 16];
    const expected = ratios.reduce((sum, ratio) => sum + (2 * ratio) / (ratio + 1), 0) / ratios.length;
    expect(rateRatioMixture({ events: 1, trials: 50 }, { events: 0, trials: 50 }).logRatio).toBeCloseTo(
      Math.log(expected),
      12,
    );
  });

  it('is a probability that falls as the canary gains errors and rises as the baseline does', () => {
    const side = fc
      .record({ trials: fc.integer({ min: 1, max: 50_000 }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ trials, share }) => ({ trials, events: Math.floor(trials * share * 0.2) }));
    fc.assert(
      fc.property(side, side, (canary, baseline) => {
        const { p } = rateRatioMixture(canary, baseline);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        if (canary.events < canary.trials) {
          expect(rateRatioMixture({ ...canary, events: canary.events + 1 }, baseline).p).toBeLessThanOrEqual(p + 1e-12);
        }
        if (baseline.events < baseline.trials) {
          expect(rateRatioMixture(canary, { ...baseline, events: baseline.events + 1 }).p).toBeGreaterThanOrEqual(
            p - 1e-12,
          );
        }
      }),
    );
  });

  it('keeps its level over twenty looks at a growing window of a healthy canary', () => {
    const { bernoulli } = generator(16);
    let rejected = 0;
    const releases = 400;
    for (let release = 0; release < releases; release++) {
      const canary = { events: 0, trials: 0 };
      const baseline = { events: 0, trials: 0 };
      for (let look = 0; look < 20; look++) {
        canary.trials += 30;
        canary.events += bernoulli(30, 0.05);
        baseline.trials += 570;
        baseline.events += bernoulli(570, 0.05);
        if (rateRatioMixture(canary, baseline).p < 0.05) {
          rejected++;
          break;
        }
      }
    }
    // Ville's inequality: at most 5% of releases; a test at p < 0.05 each look would reject far more.
    expect(rejected / releases).toBeLessThanOrEqual(0.05);
  });

  it('finds a canary three times as error-prone within a few looks', () => {
    const { bernoulli } = generator(7);
    const canary = { events: 0, trials: 0 };
    const baseline = { events: 0, trials: 0 };
    let looks = 0;
    while (rateRatioMixture(canary, baseline).p >= 0.0025 && looks < 20) {
      looks++;
      canary.trials += 300;
      canary.events += bernoulli(300, 0.015);
      baseline.trials += 5700;
      baseline.events += bernoulli(5700, 0.005);
    }
    expect(looks).toBeLessThanOrEqual(4);
  });
});

describe('pairedMeanMixture', () => {
  it('has no evidence from fewer than two pairs, a mean in the harmless direction, or no spread at all', () => {
    expect(pairedMeanMixture([0.4]).p).toBe(1);
    expect(pairedMeanMixture([-0.1, -0.2, -0.15]).p).toBe(1);
    expect(pairedMeanMixture([0, 0, 0]).p).toBe(1);
  });

  it('reaches its largest evidence, ((n − 1)/2) ln(1 + nτ²), when the differences are alike', () => {
    expect(pairedMeanMixture([0.3, 0.3, 0.3, 0.3], { degrees: 0, sumOfSquares: 0 }, 1).logRatio).toBeCloseTo(
      1.5 * Math.log(5),
      6,
    );
    expect(largestPairedLogRatio(4, 0, 1)).toBeCloseTo(1.5 * Math.log(5), 12);
    expect(largestPairedLogRatio(1, 0, 1)).toBe(0);
  });

  it('is scale-free, a probability, and never above its largest evidence', () => {
    // Values whose scaling by 0.01 underflows (denormals) are read as 0: the scaling, not the test, loses them.
    const value = fc.double({ min: -5, max: 5, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x));
    const differences = fc.array(value, { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(differences, fc.double({ min: 0.01, max: 100, noNaN: true }), (values, scale) => {
        const { p, logRatio } = pairedMeanMixture(values);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(logRatio).toBeLessThanOrEqual(largestPairedLogRatio(values.length) + 1e-6);
        expect(pairedMeanMixture(values.map((value) => value * scale)).logRatio).toBeCloseTo(logRatio, 6);
      }),
    );
  });

  it('keeps its level over thirty looks at a healthy canary, whatever the noise', () => {
    const { normal } = generator(3);
    let rejected = 0;
    const releases = 400;
    for (let release = 0; release < releases; release++) {
      const differences: number[] = [];
      const noise = 0.05 + (release % 7) * 0.1;
      for (let look = 0; look < 30; look++) {
        differences.push(noise * normal());
        if (pairedMeanMixture(differences).p < 0.05) {
          rejected++;
          break;
        }
      }
    }
    expect(rejected / releases).toBeLessThanOrEqual(0.05);
  });

  it('finds periods consistently 50% slower under 10% noise within ten looks', () => {
    const { normal } = generator(5);
    const differences: number[] = [];
    while (pairedMeanMixture(differences).p >= 0.0025 && differences.length < 30) {
      differences.push(Math.log(1.5) + 0.1 * normal() - 0.1 * normal());
    }
    expect(differences.length).toBeLessThanOrEqual(10);
  });
});

describe('pairedMeanMixture with the noise history', () => {
  const NONE = { degrees: 0, sumOfSquares: 0 };

  it('adds the history to the scale only, by hand', () => {
    // n = 2, S = 0.6, V = 0.18 + 0.18, k = 2, τ² = 1: Λ = 3^(-1/2) (1 − 0.36/(3 · 0.36))^(-2) = 2.25/√3.
    const evidence = pairedMeanMixture([0.3, 0.3], { degrees: 2, sumOfSquares: 0.18 }, 1);
    expect(evidence.logRatio).toBeCloseTo(Math.log(2.25 / Math.sqrt(3)), 12);
    expect(evidence.p).toBeCloseTo(Math.sqrt(3) / 2.25, 12);
    // One pair is enough once the history gives the scale: Λ = 2^(-1/2) (1 − 0.09/(2 · 0.1))^(-3/2).
    const one = pairedMeanMixture([0.3], { degrees: 2, sumOfSquares: 0.01 }, 1);
    expect(one.logRatio).toBeCloseTo(-0.5 * Math.log(2) - 1.5 * Math.log(1 - 0.45), 12);
    // Without history it is the paired test as before.
    expect(pairedMeanMixture([0.3, 0.1, 0.2], NONE, 1)).toEqual(pairedMeanMixture([0.3, 0.1, 0.2], undefined, 1));
  });

  it('is a probability, never above its largest evidence, and falls as the canary gets slower', () => {
    const differences = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 30 });
    const history = fc.record({
      degrees: fc.integer({ min: 0, max: 120 }),
      sumOfSquares: fc.double({ min: 0, max: 50, noNaN: true }),
    });
    fc.assert(
      fc.property(differences, history, fc.double({ min: 0, max: 2, noNaN: true }), (values, noise, slower) => {
        const { p, logRatio } = pairedMeanMixture(values, noise);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(logRatio).toBeLessThanOrEqual(largestPairedLogRatio(values.length, noise.degrees) + 1e-6);
        const shifted = pairedMeanMixture(
          values.map((value) => value + slower),
          noise,
        );
        expect(shifted.p).toBeLessThanOrEqual(p + 1e-12);
      }),
    );
  });

  it('keeps its level over thirty looks at a healthy canary, an hour of the stable revision learnt first', () => {
    const { normal } = generator(11);
    let rejected = 0;
    const releases = 2000;
    for (let release = 0; release < releases; release++) {
      const jitter = 0.05 + (release % 7) * 0.05;
      const before = Array.from({ length: 60 }, () => 0.1 * Math.exp(jitter * normal()));
      const noise = logNoiseHistory(before);
      const differences: number[] = [];
      for (let look = 0; look < 30; look++) {
        differences.push(jitter * normal() - jitter * normal());
        if (pairedMeanMixture(differences, noise).p < 0.05) {
          rejected++;
          break;
        }
      }
    }
    expect(rejected / releases).toBeLessThanOrEqual(0.05);
  });

  it('finds periods 50% slower under 15% jitter a side within five looks, where the pairs alone need more', () => {
    const { normal } = generator(7);
    const looksTo = (history: Parameters<typeof pairedMeanMixture>[1]): number => {
      const differences: number[] = [];
      while (pairedMeanMixture(differences, history).p >= 0.006 && differences.length < 30) {
        differences.push(Math.log(1.5) + 0.15 * normal() - 0.15 * normal());
      }
      return differences.length;
    };
    let withHistory = 0;
    let alone = 0;
    const releases = 200;
    for (let release = 0; release < releases; release++) {
      const before = Array.from({ length: 60 }, () => 0.1 * Math.exp(0.15 * normal()));
      withHistory += looksTo(logNoiseHistory(before));
      alone += looksTo(NONE);
    }
    expect(withHistory / releases).toBeLessThanOrEqual(5);
    expect(alone / releases).toBeGreaterThan(6);
  });
});

describe('logNoiseHistory', () => {
  it('gives m − 1 degrees and twice the sum of squares of the logs about their mean, skipping what has no log', () => {
    expect(logNoiseHistory([1, Math.E, Math.E ** 2, 0, Number.NaN, -1])).toEqual({
      degrees: 2,
      sumOfSquares: expect.closeTo(4, 12),
    });
    expect(logNoiseHistory([0.2])).toEqual({ degrees: 0, sumOfSquares: 0 });
  });
});

describe('logMeanExp', () => {
  it('is the log of the mean of the exponentials, without overflow', () => {
    expect(logMeanExp([0, 0])).toBe(0);
    expect(logMeanExp([1000, 1000])).toBeCloseTo(1000, 9);
    expect(logMeanExp([Math.log(1), Math.log(3)])).toBeCloseTo(Math.log(2), 12);
  });
});
