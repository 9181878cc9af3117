import type { SequentialEvidence } from './rate-ratio-mixture.ts';

// The prior's spread of the effect in units of the noise (μ/σ ~ N(0, τ²)):
// τ = 1.5 puts its weight on shifts of about one to two standard deviations
// of a period's difference, the size a +20 % latency has under 10–30 % jitter.
const EFFECT_SPREAD_SQUARED = 1.5 ** 2;

/**
 * Mixture SPRT that paired differences have a positive mean, their spread
 * unknown: the scale-invariant normal mixture (Lai 1976; Wang & Ramdas 2023,
 * "Anytime-valid t-tests") Λₙ = (1 + nτ²)^(-1/2) (1 − τ²S² / ((1 + nτ²)V))^(-n/2),
 * S and V the sum and sum of squares of the differences. It depends on the
 * data only through their ratios to each other, so it is a test martingale for
 * any spread under "mean 0", and the p-value stays valid however often it is
 * looked at. One-sided: a negative mean is never evidence (p = 1).
 */
export function pairedMeanMixture(
  differences: readonly number[],
  spreadSquared = EFFECT_SPREAD_SQUARED,
): SequentialEvidence {
  const n = differences.length;
  const sum = differences.reduce((total, value) => total + value, 0);
  const squares = differences.reduce((total, value) => total + value * value, 0);
  if (n < 2 || sum <= 0 || squares <= 0) return { logRatio: 0, p: 1 };
  const spread = 1 + n * spreadSquared;
  // S²/V ≤ n (Cauchy-Schwarz), so the bracket stays in (0, 1]: clamped against rounding.
  const explained = Math.min((spreadSquared * sum * sum) / (spread * squares), 1 - 1e-15);
  const logRatio = -0.5 * Math.log(spread) - (n / 2) * Math.log1p(-explained);
  return { logRatio, p: Math.min(1, Math.exp(-logRatio)) };
}

/** The largest ln Λ n pairs can give (all differences equal): ((n − 1)/2) ln(1 + nτ²). */
export function largestPairedLogRatio(n: number, spreadSquared = EFFECT_SPREAD_SQUARED): number {
  return n < 2 ? 0 : ((n - 1) / 2) * Math.log(1 + n * spreadSquared);
}
