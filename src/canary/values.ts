import { pValue, signed } from './figures.ts';
import type { ValuesJudgement, ValuesSide } from './judgement.ts';
import type { CustomMetricPolicy } from './policy.ts';
import type { Paired, RequestCounts } from './ports/metrics.ts';
import { median } from './statistics/median.ts';
import { rankSumGreater, smallestRankSumP } from './statistics/rank-sum.ts';

/** What judging latency takes from the policy. */
export interface LatencyGate {
  alpha: number;
  minimumRequests: number;
  /** The canary's median may exceed the baseline's by this ratio... */
  maxIncreaseRatio: number;
  /** ...or by this many milliseconds, whichever is larger. */
  minIncreaseMs: number;
}

/**
 * Judges TargetResponseTime per period (seconds): the canary fails when its
 * periods are significantly slower (one-sided Mann-Whitney U) AND its median
 * exceeds the baseline's by more than the ratio and by more than the
 * milliseconds the gate allows.
 */
export function judgeLatency(
  values: Paired<number[]>,
  counts: Paired<RequestCounts>,
  gate: LatencyGate,
): ValuesJudgement {
  const sides = sidesOf(values);
  if (counts.canary.requests < gate.minimumRequests || counts.baseline.requests < gate.minimumRequests) {
    return {
      metric: 'latency',
      ...sides,
      verdict: 'no-data',
      reason: `latency not judged: ${counts.canary.requests} canary and ${counts.baseline.requests} baseline requests, ${gate.minimumRequests} needed on each side`,
    };
  }
  const compared = compare('latency', values, counts, sides, gate.alpha, 'increase-is-bad');
  if ('verdict' in compared) return compared;
  const { p, changeRatio } = compared;
  const increaseMs = (sides.canary.median - sides.baseline.median) * 1000;
  const medians = `latency median ${ms(sides.canary.median)} vs ${ms(sides.baseline.median)} (${sides.canary.periods} vs ${sides.baseline.periods} periods), ${pValue(p)}`;
  const figures = { metric: 'latency', ...sides, p, ...(changeRatio === undefined ? {} : { changeRatio }) };
  if (p >= gate.alpha) return { ...figures, verdict: 'pass', reason: `${medians}: no significant increase` };
  const change = `${signed(increaseMs, ' ms', 0)}${changeRatio === undefined ? '' : ` (${signed(changeRatio * 100, '%', 0)})`}`;
  const allowed = `+${Math.round(gate.maxIncreaseRatio * 100)}% and +${gate.minIncreaseMs} ms allowed`;
  const beyond = (changeRatio === undefined || changeRatio > gate.maxIncreaseRatio) && increaseMs > gate.minIncreaseMs;
  return beyond
    ? { ...figures, verdict: 'fail', reason: `${medians}, ${change} > ${allowed}` }
    : { ...figures, verdict: 'pass', reason: `${medians}, ${change} within ${allowed}` };
}

/**
 * Judges a custom metric per period in the direction that hurts: it fails when
 * the canary is significantly worse (one-sided Mann-Whitney U) AND its median
 * moved the wrong way by more than maxChangeRatio of the baseline's.
 */
export function judgeCustomMetric(
  name: string,
  values: Paired<number[]>,
  counts: Paired<RequestCounts>,
  gate: Pick<CustomMetricPolicy, 'direction' | 'maxChangeRatio'> & { alpha: number },
): ValuesJudgement {
  const sides = sidesOf(values);
  const compared = compare(name, values, counts, sides, gate.alpha, gate.direction);
  if ('verdict' in compared) return compared;
  const { p, changeRatio } = compared;
  const medians = `${name} median ${figure(sides.canary.median)} vs ${figure(sides.baseline.median)} (${sides.canary.periods} vs ${sides.baseline.periods} periods), ${pValue(p)}`;
  const figures = { metric: name, ...sides, p, ...(changeRatio === undefined ? {} : { changeRatio }) };
  const worse = gate.direction === 'increase-is-bad' ? 'increase' : 'decrease';
  if (p >= gate.alpha) return { ...figures, verdict: 'pass', reason: `${medians}: no significant ${worse}` };
  const change = changeRatio === undefined ? `a ${worse} from 0` : `a ${worse} of ${Math.round(changeRatio * 100)}%`;
  const allowed = `${Math.round(gate.maxChangeRatio * 100)}% allowed`;
  return changeRatio === undefined || changeRatio > gate.maxChangeRatio
    ? { ...figures, verdict: 'fail', reason: `${medians}, ${change} > ${allowed}` }
    : { ...figures, verdict: 'pass', reason: `${medians}, ${change} within ${allowed}` };
}

function sidesOf(values: Paired<number[]>): Paired<ValuesSide> {
  return {
    canary: { periods: values.canary.length, median: median(values.canary) },
    baseline: { periods: values.baseline.length, median: median(values.baseline) },
  };
}

// The rank test in the harmful direction; or, when the periods are too few for
// any arrangement of them to reach p < alpha, `pending` while the traffic itself
// has spanned too few periods (time will bring them: the metric is not yet
// judgeable) and `no-data` once it has (the metric is missing, not early).
function compare(
  metric: string,
  values: Paired<number[]>,
  counts: Paired<RequestCounts>,
  sides: Paired<ValuesSide>,
  alpha: number,
  direction: CustomMetricPolicy['direction'],
): ValuesJudgement | { p: number; changeRatio?: number } {
  const m = values.canary.length;
  const n = values.baseline.length;
  if (!judgeable(m, n, alpha)) {
    const significance = `p < ${Number(alpha.toPrecision(2))}`;
    const traffic = { canary: counts.canary.periods, baseline: counts.baseline.periods };
    if (
      traffic.canary !== undefined &&
      traffic.baseline !== undefined &&
      !judgeable(traffic.canary, traffic.baseline, alpha)
    ) {
      return {
        metric,
        ...sides,
        verdict: 'pending',
        reason: `${metric} pending: traffic so far spans ${traffic.canary} canary and ${traffic.baseline} baseline periods, too few to show a difference at ${significance}`,
      };
    }
    return {
      metric,
      ...sides,
      verdict: 'no-data',
      reason: `${metric} not judged: ${m} canary and ${n} baseline periods cannot show a difference at ${significance}`,
    };
  }
  const increaseIsBad = direction === 'increase-is-bad';
  const { p } = increaseIsBad
    ? rankSumGreater(values.canary, values.baseline)
    : rankSumGreater(values.baseline, values.canary);
  const worsening = increaseIsBad
    ? sides.canary.median - sides.baseline.median
    : sides.baseline.median - sides.canary.median;
  if (sides.baseline.median === 0) return worsening > 0 ? { p } : { p, changeRatio: 0 };
  return { p, changeRatio: worsening / Math.abs(sides.baseline.median) };
}

/** Whether m against n periods can show a difference at p < alpha at all (all of one side above all of the other). */
export function judgeable(m: number, n: number, alpha: number): boolean {
  return m > 0 && n > 0 && smallestRankSumP(m, n) < alpha;
}

const ms = (seconds: number): string => `${Math.round(seconds * 1000)} ms`;
const figure = (value: number): string => `${Number(value.toPrecision(4))}`;
