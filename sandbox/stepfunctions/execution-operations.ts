import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import type { Execution } from './execution.ts';
import { pageOf, type StepFunctionsModel } from './wire.ts';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

const summary = (execution: Execution) => ({
  executionArn: execution.arn,
  stateMachineArn: execution.stateMachine.arn,
  name: execution.name,
  status: execution.status,
  startDate: execution.startDate,
  stopDate: execution.stopDate,
});

/** StartExecution: runs the state machine with `input` (default `{}`). */
export function startExecution({ runner }: StepFunctionsModel, reader: InputReader) {
  const execution = runner.start(
    reader.string('stateMachineArn', { allowBlank: true }),
    reader.optionalString('input') ?? '{}',
    reader.optionalString('name'),
  );
  return { executionArn: execution.arn, startDate: execution.startDate };
}

/** DescribeExecution: status, input, output or error and cause. */
export function describeExecution({ runner }: StepFunctionsModel, reader: InputReader) {
  const execution = runner.execution(reader.string('executionArn', { allowBlank: true }));
  return {
    ...summary(execution),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === undefined ? {} : { output: execution.output, outputDetails: { included: true } }),
    error: execution.error,
    cause: execution.cause,
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
  };
}

/** ListExecutions: of one state machine, optionally of one status, paged. */
export function listExecutions({ runner }: StepFunctionsModel, reader: InputReader) {
  const statusFilter = reader.optionalString('statusFilter');
  if (statusFilter !== undefined && !STATUSES.includes(statusFilter)) {
    throw new AwsApiError('ValidationException', `statusFilter must be one of ${STATUSES.join(', ')}`);
  }
  const stateMachineArn = reader.string('stateMachineArn', { allowBlank: true });
  runner.stateMachine(stateMachineArn);
  const executions = runner
    .executionsOf(stateMachineArn)
    .filter((execution) => statusFilter === undefined || execution.status === statusFilter);
  const { items, nextToken } = pageOf(executions, reader);
  return { executions: items.map(summary), nextToken };
}

const EXECUTION_DATA = new Set(['input', 'output', 'inputDetails', 'outputDetails']);

/** A history event without inputs and outputs (`includeExecutionData: false`). */
function withoutData<T extends object>(event: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    copy[key] =
      value !== null && typeof value === 'object' && !(value instanceof Date)
        ? Object.fromEntries(Object.entries(value).filter(([member]) => !EXECUTION_DATA.has(member)))
        : value;
  }
  return copy as T;
}

/** GetExecutionHistory: the events, with or without their data, either order, paged. */
export function getExecutionHistory({ runner }: StepFunctionsModel, reader: InputReader) {
  const execution = runner.execution(reader.string('executionArn', { allowBlank: true }));
  const withData = reader.optionalBoolean('includeExecutionData') ?? true;
  let events = execution.history.events.map((event) => (withData ? event : withoutData(event)));
  if (reader.optionalBoolean('reverseOrder')) events = events.reverse();
  const { items, nextToken } = pageOf(events, reader);
  return { events: items, nextToken };
}

/** StopExecution: aborts a running execution with an optional error and cause. */
export function stopExecution({ runner }: StepFunctionsModel, reader: InputReader) {
  const execution = runner.execution(reader.string('executionArn', { allowBlank: true }));
  execution.stop(reader.optionalString('error'), reader.optionalString('cause'));
  return { stopDate: execution.stopDate ?? new Date() };
}
