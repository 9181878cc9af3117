import hypergeometricCdf from '@stdlib/stats-base-dists-hypergeometric-cdf';

/** Events out of trials on one side of a two-proportion comparison. */
export interface Proportion {
  events: number;
  trials: number;
}

/**
 * One-sided Fisher exact test that `worse` has the higher event rate:
 * P(X ≥ observed) for the events falling on `worse` given both margins,
 * as R's `fisher.test(matrix(c(w, W - w, b, B - b), 2), alternative = "greater")`.
 */
export function fisherExactGreater(worse: Proportion, better: Proportion): number {
  const population = worse.trials + better.trials;
  const events = worse.events + better.events;
  if (events === 0 || events === population) return 1;
  // P(worse ≥ w) = P(better ≤ events - w): the lower tail of the other side,
  // summed from few terms (at most the event count) and without the
  // cancellation of 1 - cdf when p is tiny.
  return Math.min(1, Math.max(0, hypergeometricCdf(events - worse.events, population, events, better.trials)));
}
