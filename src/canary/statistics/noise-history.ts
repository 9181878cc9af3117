import type { NoiseHistory } from './t-mixture.ts';

/**
 * The noise of a metric's periods before the release, as the paired log-ratio
 * test's history: m positive values give m − 1 independent contrasts (their
 * deviations from their mean, Helmert-rotated), each scaled by √2 to the spread
 * of a canary-minus-baseline difference when each side has the stable
 * revision's noise. A drift over the history only inflates the sum (the test
 * grows more cautious, never less); noise both sides share at once cancels in
 * the pairs, not here, so the history then overstates the pairs' spread: again
 * cautious.
 */
export function logNoiseHistory(values: readonly number[]): NoiseHistory {
  const logs = values.filter((value) => Number.isFinite(value) && value > 0).map(Math.log);
  if (logs.length < 2) return { degrees: 0, sumOfSquares: 0 };
  const mean = logs.reduce((total, value) => total + value, 0) / logs.length;
  const squares = logs.reduce((total, value) => total + (value - mean) ** 2, 0);
  return { degrees: logs.length - 1, sumOfSquares: 2 * squares };
}
