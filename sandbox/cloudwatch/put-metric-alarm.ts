import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import { type AlarmValue, COMPARISON_OPERATORS, type MetricStat, type TreatMissingData } from './alarm-evaluation.ts';
import type { AlarmDefinition } from './alarms.ts';
import type { CloudWatchModel } from './emulator.ts';
import { readMetric } from './metric-input.ts';
import { parseExpression } from './metric-math.ts';
import { isSupportedStat } from './statistics.ts';

// PutMetricAlarm: a static-threshold alarm on one metric (MetricName, ...) or
// on metric math (Metrics), with CloudWatch's limits: Period 10, 20, 30 or a
// multiple of 60; Period × EvaluationPeriods at most a day under an hour's
// period, at most 7 days otherwise; DatapointsToAlarm ≤ EvaluationPeriods; at
// most 5 actions per state, 10 queries. The sandbox refuses what it cannot
// evaluate: anomaly detection, Metrics Insights queries, actions other than
// SNS topics, metric math beyond metric-math.ts.

const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const TREATMENTS: TreatMissingData[] = ['breaching', 'notBreaching', 'ignore', 'missing'];
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const SNS_TOPIC = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** PutMetricAlarm: creates or replaces the alarm; it is evaluated from the next minute on. */
export function putMetricAlarm({ alarms }: CloudWatchModel, reader: InputReader): Record<string, never> {
  alarms.put(readAlarm(reader));
  return {};
}

function readAlarm(reader: InputReader): AlarmDefinition {
  const name = reader.string('AlarmName');
  if (name.length > 255) reader.fail('The parameter AlarmName must be at most 255 characters long.');
  const evaluationPeriods = reader.optionalInteger('EvaluationPeriods', 1, 100_000);
  if (evaluationPeriods === undefined) missing('EvaluationPeriods');
  const datapointsToAlarm = reader.optionalInteger('DatapointsToAlarm', 1, 100_000) ?? evaluationPeriods;
  if (datapointsToAlarm > evaluationPeriods) {
    reader.fail('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  }
  const comparisonOperator = reader.string('ComparisonOperator');
  if (!COMPARISON_OPERATORS.includes(comparisonOperator)) {
    reader.fail(
      `The sandbox's CloudWatch evaluates static thresholds only: ComparisonOperator must be one of ${COMPARISON_OPERATORS.join(', ')}.`,
    );
  }
  const threshold = reader.optionalNumber('Threshold');
  if (threshold === undefined) missing('Threshold');
  const treatMissingData = (reader.optionalString('TreatMissingData') ?? 'missing') as TreatMissingData;
  if (!TREATMENTS.includes(treatMissingData)) {
    reader.fail(`The parameter TreatMissingData must be one of ${TREATMENTS.join(', ')}.`);
  }
  const value = readValue(reader);
  const period = value.kind === 'metric' ? value.stat.periodSeconds : value.periodSeconds;
  const range = period * evaluationPeriods;
  if (range > (period < 3600 ? 86_400 : 604_800)) {
    reader.fail(
      `The evaluation range (Period × EvaluationPeriods = ${range} s) must be at most ${period < 3600 ? '86400 s (one day) for a period under an hour' : '604800 s (seven days)'}.`,
    );
  }
  const actions = {
    OK: readActions(reader, 'OKActions'),
    ALARM: readActions(reader, 'AlarmActions'),
    INSUFFICIENT_DATA: readActions(reader, 'InsufficientDataActions'),
  };
  const description = reader.optionalString('AlarmDescription');
  if (description !== undefined && description.length > 1024) {
    reader.fail('The parameter AlarmDescription must be at most 1024 characters long.');
  }
  const input = reader.value();
  const definition: MetricAlarm = {
    AlarmName: name,
    ...(description === undefined ? {} : { AlarmDescription: description }),
    OKActions: [...actions.OK],
    AlarmActions: [...actions.ALARM],
    InsufficientDataActions: [...actions.INSUFFICIENT_DATA],
    EvaluationPeriods: evaluationPeriods,
    DatapointsToAlarm: datapointsToAlarm,
    Threshold: threshold,
    ComparisonOperator: comparisonOperator as MetricAlarm['ComparisonOperator'],
    TreatMissingData: treatMissingData,
    ...pick(input, ['Namespace', 'MetricName', 'Dimensions', 'Statistic', 'ExtendedStatistic', 'Period', 'Unit']),
    ...pick(input, ['Metrics']),
  };
  return {
    name,
    rule: { value, evaluationPeriods, datapointsToAlarm, threshold, comparisonOperator, treatMissingData },
    definition,
    actionsEnabled: reader.optionalBoolean('ActionsEnabled') ?? true,
    actions,
  };
}

function readValue(reader: InputReader): AlarmValue {
  const queries = reader.objects('Metrics');
  if (queries.length === 0) {
    if (!reader.has('MetricName')) missing('MetricName');
    const periodSeconds = readPeriod(reader);
    const stat = reader.optionalString('Statistic') ?? reader.optionalString('ExtendedStatistic');
    if (reader.has('Statistic') === reader.has('ExtendedStatistic')) {
      throw new AwsApiError(
        'InvalidParameterCombinationException',
        'Exactly one of Statistic and ExtendedStatistic must be specified.',
      );
    }
    if (
      stat === undefined ||
      !(STATISTICS.includes(stat) || (reader.has('ExtendedStatistic') && isSupportedStat(stat)))
    ) {
      reader.fail(`The value ${stat} for parameter Statistic is invalid.`);
    }
    return { kind: 'metric', stat: { metric: readMetric(reader), periodSeconds, stat } };
  }
  for (const single of ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Period', 'Dimensions']) {
    if (reader.has(single)) {
      throw new AwsApiError(
        'InvalidParameterCombinationException',
        `Metrics and ${single} cannot be specified together: give each metric in Metrics.`,
      );
    }
  }
  if (queries.length > 10) reader.fail('The collection Metrics must have at most 10 elements.');
  const metrics = new Map<string, MetricStat>();
  const expressions = new Map<string, string>();
  let returned: string | undefined;
  for (const query of queries) {
    const id = query.string('Id');
    if (!QUERY_ID.test(id)) query.fail(`The value ${id} for parameter ${query.path('Id')} is invalid.`);
    if (metrics.has(id) || expressions.has(id)) query.fail(`The value ${id} for parameter Metrics.Id is not unique.`);
    if (query.optionalBoolean('ReturnData') ?? true) {
      if (returned !== undefined)
        reader.fail('Exactly one element of the Metrics array must have ReturnData set to true.');
      returned = id;
    }
    const expression = query.optionalString('Expression');
    const stat = query.optionalObject('MetricStat');
    if ((expression === undefined) === (stat === undefined)) {
      query.fail(`Exactly one of ${query.path('Expression')} and ${query.path('MetricStat')} must be specified.`);
    }
    if (expression !== undefined) expressions.set(id, expression);
    else if (stat) {
      const statName = stat.string('Stat');
      if (!isSupportedStat(statName)) stat.fail(`The value ${statName} for parameter ${stat.path('Stat')} is invalid.`);
      metrics.set(id, {
        metric: readMetric(stat.optionalObject('Metric') ?? missing(stat.path('Metric'))),
        periodSeconds: readPeriod(stat),
        stat: statName,
      });
    }
  }
  if (returned === undefined) reader.fail('Exactly one element of the Metrics array must have ReturnData set to true.');
  const returnedExpression = expressions.get(returned);
  if (returnedExpression === undefined) {
    if (metrics.size > 1) reader.fail('Only the returned metric may be given without an expression reading it.');
    const only = metrics.get(returned);
    if (!only) reader.fail(`No metric ${returned}.`);
    return { kind: 'metric', stat: only };
  }
  if (expressions.size > 1) reader.fail("The sandbox's CloudWatch evaluates one expression per alarm, over metrics.");
  let expression: ReturnType<typeof parseExpression>;
  try {
    expression = parseExpression(returnedExpression);
  } catch (error) {
    reader.fail(`Invalid metrics expression ${returned}: ${(error as Error).message}.`);
  }
  for (const id of expression.ids) {
    if (!metrics.has(id)) reader.fail(`Expression ${returned} reads ${id}, which is no metric of the alarm.`);
  }
  const periods = new Set([...metrics.values()].map((m) => m.periodSeconds));
  const [periodSeconds] = periods;
  if (periods.size !== 1 || periodSeconds === undefined) {
    reader.fail('All metrics of an alarm expression must have the same Period.');
  }
  return { kind: 'math', periodSeconds, expression, metrics };
}

function readPeriod(reader: InputReader): number {
  const period = reader.optionalInteger('Period', 1, 86_400);
  if (period === undefined) missing(reader.path('Period'));
  if (![10, 20, 30].includes(period) && period % 60 !== 0) {
    reader.fail(`The parameter ${reader.path('Period')} must be 10, 20, 30 or a multiple of 60.`);
  }
  return period;
}

function readActions(reader: InputReader, name: string): readonly string[] {
  const actions = reader.optionalStringArray(name) ?? [];
  if (actions.length > 5) reader.fail(`The collection ${name} must have at most 5 elements.`);
  for (const action of actions) {
    if (!SNS_TOPIC.test(action)) {
      reader.fail(
        `The sandbox's CloudWatch runs SNS topic actions only; ${action} in ${name} is not an SNS topic ARN.`,
      );
    }
  }
  return actions;
}

function missing(name: string): never {
  throw new AwsApiError('MissingRequiredParameterException', `The parameter ${name} is required.`);
}

function pick(input: Record<string, unknown>, names: string[]): Partial<MetricAlarm> {
  return Object.fromEntries(names.flatMap((name) => (input[name] === undefined ? [] : [[name, input[name]]])));
}
