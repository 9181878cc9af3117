import { count, percent, pValue, signed } from './figures.ts';
import type { ErrorRateJudgement, ErrorRateSide } from './judgement.ts';
import type { Paired, RequestCounts } from './ports/metrics.ts';
import { fisherExactGreater } from './statistics/fisher-exact.ts';

/** What judging the error rate takes from the policy. */
export interface ErrorRateGate {
  /** A difference counts when p < alpha. */
  alpha: number;
  minimumRequests: number;
  /** The absolute increase of the 5xx rate tolerated. */
  maxIncrease: number;
}

/**
 * Judges the canary's 5xx rate against the baseline's: it fails only when it is
 * significantly higher (one-sided Fisher exact test, exact at any count) AND
 * higher by more than the gate allows, so neither noise nor a negligible but
 * "significant" difference fails a release.
 */
export function judgeErrorRate(counts: Paired<RequestCounts>, gate: ErrorRateGate): ErrorRateJudgement {
  const canary = side(counts.canary);
  const baseline = side(counts.baseline);
  const increase = canary.rate - baseline.rate;
  const figures = { metric: 'error-rate' as const, canary, baseline, increase, maxIncrease: gate.maxIncrease };
  if (canary.requests < gate.minimumRequests || baseline.requests < gate.minimumRequests) {
    return {
      ...figures,
      verdict: 'no-data',
      reason: `error rate not judged: ${canary.requests} canary and ${baseline.requests} baseline requests, ${gate.minimumRequests} needed on each side`,
    };
  }
  const p = fisherExactGreater(
    { events: canary.errors, trials: canary.requests },
    { events: baseline.errors, trials: baseline.requests },
  );
  const rates = `error rate ${percent(canary.rate)} (${canary.errors}/${canary.requests}) vs ${percent(baseline.rate)} (${baseline.errors}/${baseline.requests}), ${pValue(p)}`;
  const points = signed(increase * 100, ' points');
  const allowed = count(gate.maxIncrease * 100, 'point');
  if (p >= gate.alpha) {
    return { ...figures, p, verdict: 'pass', reason: `${rates}: no significant increase` };
  }
  if (increase <= gate.maxIncrease) {
    return { ...figures, p, verdict: 'pass', reason: `${rates}, ${points} ≤ ${allowed} allowed` };
  }
  return { ...figures, p, verdict: 'fail', reason: `${rates}, ${points} > ${allowed} allowed` };
}

// The two metrics are published separately, so a window's edge can cut them
// apart; errors never exceed the requests they answered.
function side({ requests, errors }: RequestCounts): ErrorRateSide {
  const answered = Math.min(errors, requests);
  return { requests, errors: answered, rate: requests > 0 ? answered / requests : 0 };
}
