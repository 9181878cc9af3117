import type { SequentialEvidence } from './rate-ratio-mixture.ts';

// The prior's spread of the effect in units of the noise (μ/σ ~ N(0, τ²)):
// τ = 1.5 puts its weight on shifts of about one to two standard deviations
// of a period's difference, the size a +20 % latency has under 10–30 % jitter.
// With the stable revision's history, τ from 1.5 to 3 made no difference in
// the canary lab (README).
const EFFECT_SPREAD_SQUARED = 1.5 ** 2;

/**
 * What the noise showed before the differences began: k contrasts of mean 0
 * with the differences' own spread (the stable revision's periods before the
 * release, centred and scaled: see values.ts), as their sum of squares.
 */
export interface NoiseHistory {
  /** k: how many independent mean-0 contrasts the sum holds. */
  degrees: number;
  /** Their sum of squares. */
  sumOfSquares: number;
}

const NO_HISTORY: NoiseHistory = { degrees: 0, sumOfSquares: 0 };

/**
 * Mixture SPRT that paired differences have a positive mean, their spread
 * unknown: the scale-invariant normal mixture (Lai 1976; Wang & Ramdas 2023,
 * "Anytime-valid t-tests") Λₙ = (1 + nτ²)^(-1/2) (1 − τ²S² / ((1 + nτ²)V))^(-(n+k)/2),
 * S the sum of the differences, V the sum of their squares plus the history's,
 * k the history's degrees. It is the Bayes factor of the data's ratios to each
 * other (scale's right Haar prior), so a test martingale for any spread under
 * "mean 0", and the p-value stays valid however often it is looked at. History
 * that shares the spread (k > 0) is what a known σ would give at small n,
 * without assuming one: it only adds degrees to the scale's estimate. One-sided:
 * a negative mean is never evidence (p = 1).
 */
export function pairedMeanMixture(
  differences: readonly number[],
  history: NoiseHistory = NO_HISTORY,
  spreadSquared = EFFECT_SPREAD_SQUARED,
): SequentialEvidence {
  const n = differences.length;
  // Λ depends on the data only through their ratios: in units of the largest
  // difference, squares neither underflow (1e-164²) nor overflow.
  const unit = differences.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
  if (n < 1 || n + history.degrees < 2 || unit === 0) return { logRatio: 0, p: 1 };
  const sum = differences.reduce((total, value) => total + value / unit, 0);
  const squares = differences.reduce((total, value) => total + (value / unit) ** 2, history.sumOfSquares / unit ** 2);
  if (sum <= 0) return { logRatio: 0, p: 1 };
  const spread = 1 + n * spreadSquared;
  // S²/V ≤ n (Cauchy-Schwarz), so the bracket stays in (0, 1]: clamped against rounding.
  const explained = Math.min((spreadSquared * sum * sum) / (spread * squares), 1 - 1e-15);
  const logRatio = -0.5 * Math.log(spread) - ((n + history.degrees) / 2) * Math.log1p(-explained);
  return { logRatio, p: Math.min(1, Math.exp(-logRatio)) };
}

/**
 * The largest ln Λ n pairs can give (all differences equal and large beside
 * the history): ((n + k − 1)/2) ln(1 + nτ²).
 */
export function largestPairedLogRatio(n: number, degrees = 0, spreadSquared = EFFECT_SPREAD_SQUARED): number {
  return n < 1 || n + degrees < 2 ? 0 : ((n + degrees - 1) / 2) * Math.log(1 + n * spreadSquared);
}
