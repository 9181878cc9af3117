import type { DescribeAlarmsOutput } from '@aws-sdk/client-cloudwatch';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import { CLOUDWATCH_INVALID_TOKEN } from './wire.ts';

// DescribeAlarms. The sandbox's CloudWatch keeps no alarms (it has no
// PutMetricAlarm: an alarm it could not evaluate would only pretend), so the
// answer is always empty; its input is validated as CloudWatch validates it.

const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const ALARM_TYPES = ['CompositeAlarm', 'MetricAlarm'];

/** DescribeAlarms: no alarms, in CloudWatch's shape, after CloudWatch's checks of the filters. */
export function describeAlarms(_store: unknown, reader: InputReader): DescribeAlarmsOutput {
  const names = reader.optionalStringArray('AlarmNames');
  if (names !== undefined && names.length > 100)
    reader.fail('The collection AlarmNames must have at most 100 elements.');
  if (names !== undefined && reader.has('AlarmNamePrefix')) {
    throw new AwsApiError(
      'InvalidParameterCombinationException',
      'AlarmNamePrefix and AlarmNames cannot be specified together.',
    );
  }
  reader.optionalString('AlarmNamePrefix');
  reader.optionalString('ActionPrefix');
  const state = reader.optionalString('StateValue');
  if (state !== undefined && !STATES.includes(state)) {
    reader.fail(`The parameter StateValue must be a value in the set [ ${STATES.join(', ')} ].`);
  }
  for (const type of reader.optionalStringArray('AlarmTypes') ?? []) {
    if (!ALARM_TYPES.includes(type)) {
      reader.fail(`The parameter AlarmTypes must be a list of values in the set [ ${ALARM_TYPES.join(', ')} ].`);
    }
  }
  const maxRecords = reader.optionalInteger('MaxRecords', 1, 100) ?? 50;
  const { items, nextToken } = page([], reader.optionalString('NextToken'), maxRecords, CLOUDWATCH_INVALID_TOKEN);
  return { MetricAlarms: items, CompositeAlarms: [], ...(nextToken ? { NextToken: nextToken } : {}) };
}
