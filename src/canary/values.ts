import { pValue, signed } from './figures.ts';
import type { ValuesJudgement, ValuesSide } from './judgement.ts';
import type { CustomMetricPolicy } from './policy.ts';
import type { Paired, RequestCounts } from './ports/metrics.ts';
import { median } from './statistics/median.ts';
import { logNoiseHistory } from './statistics/noise-history.ts';
import { largestPairedLogRatio, type NoiseHistory, pairedMeanMixture } from './statistics/t-mixture.ts';

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
 * periods are significantly slower (a sequential t-test on the log ratio of
 * each period's canary and baseline values, valid however many analyses look,
 * its noise also learnt from the stable revision's periods before the window
 * when `history` has them) AND its median exceeds the baseline's by more than
 * the ratio and by more than the milliseconds the gate allows. Logs: latency's
 * noise is multiplicative.
 */
export function judgeLatency(
  values: Paired<number[]>,
  counts: Paired<RequestCounts>,
  gate: LatencyGate,
  history: readonly number[] = [],
): ValuesJudgement {
  const sides = sidesOf(values);
  const noise = logNoiseHistory(averagesOfMany(counts.canary) ? history : []);
  const compared = compare('latency', values, counts, sides, gate.alpha, 'increase-is-bad', logRatio, noise);
  if ('verdict' in compared) return compared;
  const { p, changeRatio, figures: evidence } = compared;
  const canaryMedian = sides.canary.median ?? 0;
  const baselineMedian = sides.baseline.median ?? 0;
  const increaseMs = (canaryMedian - baselineMedian) * 1000;
  const medians = `latency median ${ms(canaryMedian)} vs ${ms(baselineMedian)} (${sides.canary.periods} vs ${sides.baseline.periods} periods), ${pValue(p)}`;
  const figures = { metric: 'latency', ...sides, ...evidence, ...(changeRatio === undefined ? {} : { changeRatio }) };
  const significant = p < gate.alpha;
  const change = `${signed(increaseMs, ' ms', 0)}${changeRatio === undefined ? '' : ` (${signed(changeRatio * 100, '%', 0)})`}`;
  const allowed = `+${Math.round(gate.maxIncreaseRatio * 100)}% and +${gate.minIncreaseMs} ms allowed`;
  const beyond = (changeRatio === undefined || changeRatio > gate.maxIncreaseRatio) && increaseMs > gate.minIncreaseMs;
  if (significant && beyond) return { ...figures, verdict: 'fail', reason: `${medians}, ${change} > ${allowed}` };
  if (counts.canary.requests < gate.minimumRequests || counts.baseline.requests < gate.minimumRequests) {
    return {
      ...figures,
      verdict: 'no-data',
      reason: `latency not judged: ${counts.canary.requests} canary and ${counts.baseline.requests} baseline requests, ${gate.minimumRequests} needed on each side`,
    };
  }
  if (!significant) return { ...figures, verdict: 'pass', reason: `${medians}: no significant increase` };
  return { ...figures, verdict: 'pass', reason: `${medians}, ${change} within ${allowed}` };
}

/**
 * Judges a custom metric per period in the direction that hurts: it fails when
 * the canary is significantly worse (a sequential t-test on each period's
 * difference) AND its median moved the wrong way by more than maxChangeRatio of the baseline's.
 */
export function judgeCustomMetric(
  name: string,
  values: Paired<number[]>,
  counts: Paired<RequestCounts>,
  gate: Pick<CustomMetricPolicy, 'direction' | 'maxChangeRatio'> & { alpha: number },
): ValuesJudgement {
  const sides = sidesOf(values);
  const compared = compare(name, values, counts, sides, gate.alpha, gate.direction, difference);
  if ('verdict' in compared) return compared;
  const { p, changeRatio, figures: evidence } = compared;
  const medians = `${name} median ${figure(sides.canary.median ?? 0)} vs ${figure(sides.baseline.median ?? 0)} (${sides.canary.periods} vs ${sides.baseline.periods} periods), ${pValue(p)}`;
  const figures = { metric: name, ...sides, ...evidence, ...(changeRatio === undefined ? {} : { changeRatio }) };
  const worse = gate.direction === 'increase-is-bad' ? 'increase' : 'decrease';
  if (p >= gate.alpha) return { ...figures, verdict: 'pass', reason: `${medians}: no significant ${worse}` };
  const change = changeRatio === undefined ? `a ${worse} from 0` : `a ${worse} of ${Math.round(changeRatio * 100)}%`;
  const allowed = `${Math.round(gate.maxChangeRatio * 100)}% allowed`;
  return changeRatio === undefined || changeRatio > gate.maxChangeRatio
    ? { ...figures, verdict: 'fail', reason: `${medians}, ${change} > ${allowed}` }
    : { ...figures, verdict: 'pass', reason: `${medians}, ${change} within ${allowed}` };
}

function sidesOf(values: Paired<number[]>): Paired<ValuesSide> {
  const side = (series: number[]): ValuesSide => {
    const finite = series.filter(Number.isFinite);
    const latest = finite.at(-1);
    return latest === undefined ? { periods: 0 } : { periods: finite.length, median: median(finite), latest };
  };
  return { canary: side(values.canary), baseline: side(values.baseline) };
}

// How a period's canary value compares with the baseline's in the harmful
// direction; undefined when the pair cannot be compared (a latency of 0).
type PairDifference = (worse: number, better: number) => number | undefined;
const logRatio: PairDifference = (worse, better) => (worse > 0 && better > 0 ? Math.log(worse / better) : undefined);
const difference: PairDifference = (worse, better) => worse - better;

// The sequential test on the periods paired in order (the i-th of each side);
// or, when the pairs are too few for any values of theirs to reach alpha,
// `pending` while the traffic itself has spanned too few periods (time will
// bring them: the metric is not yet judgeable) and `no-data` once it has (the
// metric is missing, not early).
function compare(
  metric: string,
  values: Paired<number[]>,
  counts: Paired<RequestCounts>,
  sides: Paired<ValuesSide>,
  alpha: number,
  direction: CustomMetricPolicy['direction'],
  pairDifference: PairDifference,
  history?: NoiseHistory,
): ValuesJudgement | { p: number; changeRatio?: number; figures: { p: number; logRatio: number; alpha: number } } {
  const [worse, better] =
    direction === 'increase-is-bad' ? [values.canary, values.baseline] : [values.baseline, values.canary];
  const differences: number[] = [];
  for (let i = 0; i < Math.min(worse.length, better.length); i++) {
    const d = pairDifference(worse[i] ?? Number.NaN, better[i] ?? Number.NaN);
    if (d !== undefined && Number.isFinite(d)) differences.push(d);
  }
  const degrees = history?.degrees ?? 0;
  if (!judgeable(differences.length, alpha, degrees)) {
    const significance = `p < ${Number(alpha.toPrecision(2))}`;
    const traffic = Math.min(
      counts.canary.periods ?? Number.POSITIVE_INFINITY,
      counts.baseline.periods ?? Number.POSITIVE_INFINITY,
    );
    if (Number.isFinite(traffic) && !judgeable(traffic, alpha, degrees)) {
      return {
        metric,
        ...sides,
        verdict: 'pending',
        reason: `${metric} pending: traffic so far spans ${counts.canary.periods} canary and ${counts.baseline.periods} baseline periods, too few to show a difference at ${significance}`,
      };
    }
    return {
      metric,
      ...sides,
      verdict: 'no-data',
      reason: `${metric} not judged: ${sides.canary.periods} canary and ${sides.baseline.periods} baseline periods cannot show a difference at ${significance}`,
    };
  }
  const { p, logRatio: evidence } = pairedMeanMixture(differences, history);
  const figures = { p, logRatio: evidence, alpha };
  const worseMedian = median(worse.filter(Number.isFinite));
  const betterMedian = median(better.filter(Number.isFinite));
  const worsening = worseMedian - betterMedian;
  const baselineMedian = sides.baseline.median ?? 0;
  if (baselineMedian === 0) return worsening > 0 ? { p, figures } : { p, figures, changeRatio: 0 };
  return { p, figures, changeRatio: worsening / Math.abs(baselineMedian) };
}

// The history speaks for the canary's periods only if they are averages of as
// many requests' worth of noise: a canary period of few requests is noisier
// than the stable revision's of all of production, and a history that
// understates the pairs' spread would roll back healthy canaries. At 200
// requests a period, a per-request spread as wide as the mean (CV 1) adds
// about 7 % to a period's latency; below it the paired test judges alone.
const HISTORY_MIN_REQUESTS_PER_PERIOD = 200;
const averagesOfMany = ({ requests, periods }: RequestCounts): boolean =>
  periods !== undefined && periods > 0 && requests / periods >= HISTORY_MIN_REQUESTS_PER_PERIOD;

/** Whether n paired periods (and a history of `degrees`) can show a difference at the always-valid p < alpha at all. */
export function judgeable(n: number, alpha: number, degrees = 0): boolean {
  return largestPairedLogRatio(n, degrees) > -Math.log(alpha);
}

const ms = (seconds: number): string => `${Math.round(seconds * 1000)} ms`;
const figure = (value: number): string => `${Number(value.toPrecision(4))}`;
