import type { Expression } from './metric-math.ts';
import type { MetricId, MetricStore } from './metric-store.ts';
import { statistic } from './statistics.ts';

// One evaluation of a metric alarm, as CloudWatch makes it each minute: the
// alarm's value in each of its last EvaluationPeriods periods (the newest
// ending at the evaluation's time), each breaching or not, missing ones
// treated as TreatMissingData says; DatapointsToAlarm breaching ones of them
// make ALARM.

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

const COMPARISONS: Readonly<Record<string, (value: number, threshold: number) => boolean>> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};
export const COMPARISON_OPERATORS = Object.keys(COMPARISONS);

/** One metric the alarm reads: a statistic of a metric over a period. */
export interface MetricStat {
  metric: MetricId;
  periodSeconds: number;
  stat: string;
}

/** What the alarm's value is: one metric, or metric math over several (by query id). */
export type AlarmValue =
  | { kind: 'metric'; stat: MetricStat }
  | { kind: 'math'; periodSeconds: number; expression: Expression; metrics: ReadonlyMap<string, MetricStat> };

export interface AlarmRule {
  value: AlarmValue;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: TreatMissingData;
}

/** The outcome of one evaluation: the new state, unless the state is kept (`ignore` with no data), and why. */
export interface Evaluation {
  state?: AlarmState;
  reason: string;
  datapoints: { at: number; value: number }[];
}

const periodOf = (value: AlarmValue): number =>
  value.kind === 'metric' ? value.stat.periodSeconds : value.periodSeconds;

/** The alarm's value over [from, to), or undefined when it has none. */
function valueIn(store: MetricStore, value: AlarmValue, from: number, to: number): number | undefined {
  const of = (stat: MetricStat) => {
    const samples = store.samples(stat.metric, from, to);
    return samples.length > 0 ? statistic(stat.stat, samples) : undefined;
  };
  if (value.kind === 'metric') return of(value.stat);
  const values = new Map([...value.metrics].map(([id, stat]) => [id, of(stat)]));
  return value.expression.evaluate((id) => values.get(id));
}

/** Evaluates `rule` over the store at `now` (epoch ms). */
export function evaluateAlarm(store: MetricStore, rule: AlarmRule, now: number): Evaluation {
  const periodMs = periodOf(rule.value) * 1000;
  const end = now;
  const datapoints: { at: number; value: number }[] = [];
  let missing = 0;
  let breaching = 0;
  const compare = COMPARISONS[rule.comparisonOperator] ?? (() => false);
  for (let i = 0; i < rule.evaluationPeriods; i++) {
    const from = end - (i + 1) * periodMs;
    const value = valueIn(store, rule.value, from, from + periodMs);
    if (value === undefined) {
      missing += 1;
      if (rule.treatMissingData === 'breaching') breaching += 1;
      continue;
    }
    datapoints.push({ at: from, value });
    if (compare(value, rule.threshold)) breaching += 1;
  }
  const of = `${breaching} out of the last ${rule.evaluationPeriods} datapoints`;
  const shown = datapoints.map((d) => `${d.value} (${new Date(d.at).toISOString()})`).join(', ');
  const missingNote = missing > 0 ? ` (${missing} missing, treated as ${rule.treatMissingData})` : '';
  if (missing === rule.evaluationPeriods && rule.treatMissingData === 'ignore') {
    return { reason: 'No datapoints: the state is kept (TreatMissingData ignore).', datapoints };
  }
  if (missing === rule.evaluationPeriods && rule.treatMissingData === 'missing') {
    return {
      state: 'INSUFFICIENT_DATA',
      reason: `Insufficient Data: ${rule.evaluationPeriods} datapoints were unknown.`,
      datapoints,
    };
  }
  const state: AlarmState = breaching >= rule.datapointsToAlarm ? 'ALARM' : 'OK';
  const verb = state === 'ALARM' ? 'Threshold Crossed' : 'Threshold Not Crossed';
  return {
    state,
    reason: `${verb}: ${of} [${shown}]${missingNote} ${breaching === 1 ? 'was' : 'were'} ${rule.comparisonOperator} ${rule.threshold} (minimum ${rule.datapointsToAlarm} datapoint${rule.datapointsToAlarm === 1 ? '' : 's'} for OK -> ALARM transition).`,
    datapoints,
  };
}
