import type { DescribeAlarmsOutput } from '@aws-sdk/client-cloudwatch';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import type { AlarmState } from './alarm-evaluation.ts';
import type { CloudWatchModel } from './emulator.ts';
import { CLOUDWATCH_INVALID_TOKEN } from './wire.ts';

// DescribeAlarms, DeleteAlarms and SetAlarmState over the sandbox's metric
// alarms (alarms.ts). The sandbox has no composite alarms: CompositeAlarms is
// always empty.

const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const ALARM_TYPES = ['CompositeAlarm', 'MetricAlarm'];

/** DescribeAlarms: the metric alarms by name, filtered by name, prefix, state and action prefix, paged. */
export function describeAlarms({ alarms }: CloudWatchModel, reader: InputReader): DescribeAlarmsOutput {
  const names = reader.optionalStringArray('AlarmNames');
  if (names !== undefined && names.length > 100)
    reader.fail('The collection AlarmNames must have at most 100 elements.');
  if (names !== undefined && reader.has('AlarmNamePrefix')) {
    throw new AwsApiError(
      'InvalidParameterCombinationException',
      'AlarmNamePrefix and AlarmNames cannot be specified together.',
    );
  }
  const prefix = reader.optionalString('AlarmNamePrefix');
  const actionPrefix = reader.optionalString('ActionPrefix');
  const state = reader.optionalString('StateValue');
  if (state !== undefined && !(STATES as string[]).includes(state)) {
    reader.fail(`The parameter StateValue must be a value in the set [ ${STATES.join(', ')} ].`);
  }
  const types = reader.optionalStringArray('AlarmTypes') ?? ['MetricAlarm'];
  for (const type of types) {
    if (!ALARM_TYPES.includes(type)) {
      reader.fail(`The parameter AlarmTypes must be a list of values in the set [ ${ALARM_TYPES.join(', ')} ].`);
    }
  }
  const maxRecords = reader.optionalInteger('MaxRecords', 1, 100) ?? 50;
  const matching = types.includes('MetricAlarm')
    ? alarms
        .describe()
        .filter(
          (alarm) =>
            (names === undefined || names.includes(alarm.AlarmName ?? '')) &&
            (prefix === undefined || alarm.AlarmName?.startsWith(prefix)) &&
            (state === undefined || alarm.StateValue === state) &&
            (actionPrefix === undefined ||
              [
                ...(alarm.OKActions ?? []),
                ...(alarm.AlarmActions ?? []),
                ...(alarm.InsufficientDataActions ?? []),
              ].some((action) => action.startsWith(actionPrefix))),
        )
    : [];
  const { items, nextToken } = page(matching, reader.optionalString('NextToken'), maxRecords, CLOUDWATCH_INVALID_TOKEN);
  return { MetricAlarms: items, CompositeAlarms: [], ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** DeleteAlarms: 1..100 names; if one does not exist, none is deleted (ResourceNotFound). */
export function deleteAlarms({ alarms }: CloudWatchModel, reader: InputReader): Record<string, never> {
  const names = reader.stringArray('AlarmNames');
  if (names.length > 100) reader.fail('The collection AlarmNames must have at most 100 elements.');
  const unknown = alarms.delete(names);
  if (unknown.length > 0) throw new AwsApiError('ResourceNotFound', `Alarm(s) not found: ${unknown.join(', ')}`, 404);
  return {};
}

/** SetAlarmState: the alarm's state (and its actions) until its next evaluation. */
export function setAlarmState({ alarms }: CloudWatchModel, reader: InputReader): Record<string, never> {
  const name = reader.string('AlarmName');
  const state = reader.string('StateValue');
  if (!(STATES as string[]).includes(state)) {
    reader.fail(`The parameter StateValue must be a value in the set [ ${STATES.join(', ')} ].`);
  }
  const reason = reader.string('StateReason');
  if (reason.length > 1023) reader.fail('The parameter StateReason must be at most 1023 characters long.');
  const data = reader.optionalString('StateReasonData');
  if (data !== undefined) {
    try {
      JSON.parse(data);
    } catch {
      throw new AwsApiError('InvalidFormat', 'The parameter StateReasonData is not valid JSON.');
    }
  }
  if (!alarms.has(name)) throw new AwsApiError('ResourceNotFound', `Alarm ${name} not found`, 404);
  alarms.setState(name, state as AlarmState, reason, data);
  return {};
}
