import { count, percent, pValue, signed } from './figures.ts';
import type { ErrorRateJudgement, ErrorRateSide } from './judgement.ts';
import type { Paired, RequestCounts } from './ports/metrics.ts';
import { rateRatioMixture } from './statistics/rate-ratio-mixture.ts';

/** What judging the error rate takes from the policy. */
export interface ErrorRateGate {
  /** A difference counts when the always-valid p < alpha. */
  alpha: number;
  /** Requests a side needs before the error rate can pass; a significant failure needs none. */
  minimumRequests: number;
  /** The absolute increase of the 5xx rate tolerated. */
  maxIncrease: number;
}

/**
 * Judges the canary's 5xx rate against the baseline's: it fails when it is
 * significantly higher by a sequential test that stays valid however many
 * analyses look at the growing window (a mixture SPRT on where the errors fell,
 * see statistics/rate-ratio-mixture.ts) AND higher by more than the gate allows,
 * at any count; it passes once each side has the minimum sample; until then it
 * has no data.
 */
export function judgeErrorRate(counts: Paired<RequestCounts>, gate: ErrorRateGate): ErrorRateJudgement {
  const canary = side(counts.canary);
  const baseline = side(counts.baseline);
  const increase = canary.rate - baseline.rate;
  const { p, logRatio } = rateRatioMixture(
    { events: canary.errors, trials: canary.requests },
    { events: baseline.errors, trials: baseline.requests },
  );
  const figures = {
    metric: 'error-rate' as const,
    canary,
    baseline,
    p,
    logRatio,
    alpha: gate.alpha,
    increase,
    maxIncrease: gate.maxIncrease,
  };
  const rates = `error rate ${percent(canary.rate)} (${canary.errors}/${canary.requests}) vs ${percent(baseline.rate)} (${baseline.errors}/${baseline.requests}), ${pValue(p)}`;
  const points = signed(increase * 100, ' points');
  const allowed = count(gate.maxIncrease * 100, 'point');
  if (p < gate.alpha && increase > gate.maxIncrease) {
    return { ...figures, verdict: 'fail', reason: `${rates}, ${points} > ${allowed} allowed` };
  }
  if (canary.requests < gate.minimumRequests || baseline.requests < gate.minimumRequests) {
    return {
      ...figures,
      verdict: 'no-data',
      reason: `error rate not judged: ${canary.requests} canary and ${baseline.requests} baseline requests, ${gate.minimumRequests} needed on each side`,
    };
  }
  if (p >= gate.alpha) return { ...figures, verdict: 'pass', reason: `${rates}: no significant increase` };
  return { ...figures, verdict: 'pass', reason: `${rates}, ${points} ≤ ${allowed} allowed` };
}

// The two metrics are published separately, so a window's edge can cut them
// apart; errors never exceed the requests they answered. Readings are
// untrusted: a negative or fractional count is read as the whole requests it can be.
function side({ requests, errors, periods }: RequestCounts): ErrorRateSide {
  const answered = whole(Math.min(errors, requests));
  const total = whole(requests);
  return {
    requests: total,
    errors: answered,
    rate: total > 0 ? answered / total : 0,
    ...(periods === undefined ? {} : { periods: whole(periods) }),
  };
}

const whole = (value: number): number => (Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);
