/** Events out of trials on one side of a two-proportion comparison. */
export interface Proportion {
  events: number;
  trials: number;
}

/** A mixture sequential probability ratio test's figures: the likelihood ratio (as its log) and the always-valid p-value. */
export interface SequentialEvidence {
  /** ln Λ: the mixture likelihood ratio against "no difference"; a test martingale under it. */
  logRatio: number;
  /** min(1, 1/Λ): by Ville's inequality, P(it ever falls to α) ≤ α however often it is looked at. */
  p: number;
}

// The rate ratios (canary's error rate / baseline's) the mixture spreads its
// weight over, equally: from half again as many errors to sixteen times as
// many, about evenly in log. Fewer points cost less evidence (the mixture
// pays ln of their count at worst); ratios below 1.5 are what the effect gate
// (1 point) tolerates at any baseline up to 2%. Only ratios above 1: the test
// is one-sided (a canary with fewer errors is no reason to roll back), so the
// whole budget goes to the harmful side. Chosen in the canary lab (README).
const RATE_RATIOS = [1.5, 2.5, 4, 8, 16] as const;

/**
 * Mixture SPRT that `worse` has the higher event rate, conditional on the events
 * both sides had: under "same rate" each event falls on `worse` with
 * probability π₀ = its share of the trials; under a rate ratio ρ with
 * π = ρπ₀ / (ρπ₀ + 1 − π₀). Λ = mean over ρ of Π(π/π₀)^x((1−π)/(1−π₀))^(E−x):
 * a mixture of likelihood ratios, each a martingale under the null, so the
 * mixture is one too (Robbins 1970; Johari et al. 2017, "Peeking at A/B tests").
 */
export function rateRatioMixture(worse: Proportion, better: Proportion): SequentialEvidence {
  const trials = worse.trials + better.trials;
  const events = worse.events + better.events;
  if (worse.trials === 0 || better.trials === 0 || events === 0) return { logRatio: 0, p: 1 };
  const share = worse.trials / trials;
  const onWorse = worse.events;
  const elsewhere = events - onWorse;
  const terms = RATE_RATIOS.map((ratio) => {
    const shifted = (ratio * share) / (ratio * share + 1 - share);
    return onWorse * Math.log(shifted / share) + elsewhere * Math.log1p(-shifted) - elsewhere * Math.log1p(-share);
  });
  const logRatio = logMeanExp(terms);
  return { logRatio, p: Math.min(1, Math.exp(-logRatio)) };
}

/** ln(mean(exp(terms))), without overflow. */
export function logMeanExp(terms: readonly number[]): number {
  const largest = Math.max(...terms);
  if (!Number.isFinite(largest)) return largest;
  const sum = terms.reduce((total, term) => total + Math.exp(term - largest), 0);
  return largest + Math.log(sum / terms.length);
}
