// The Step Functions API (JSON 1.0, `AWSStepFunctions`) over the runner:
// what `release watch/status/logs`, the functions' callbacks and `aws stepfunctions` call.
import { optionalBoolean, optionalNumber, optionalString, page, requiredString } from '../aws/input.ts';
import { AwsApiError, type AwsServiceEmulator } from '../aws/service.ts';
import type { Execution } from './execution.ts';
import type { StateMachineRunner } from './runner.ts';
import type { TaskTokens } from './task-tokens.ts';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

export function createStepFunctionsEmulator(runner: StateMachineRunner, tokens: TaskTokens): AwsServiceEmulator {
  const summary = (execution: Execution) => ({
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachine.arn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    stopDate: execution.stopDate,
  });

  const maxResults = (input: Record<string, unknown>, fallback: number) => {
    const requested = optionalNumber(input, 'maxResults') ?? 0;
    if (requested < 0 || requested > 1000)
      throw new AwsApiError('ValidationException', 'maxResults must be between 0 and 1000');
    return requested === 0 ? fallback : requested;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    ListStateMachines(input) {
      const { items, nextToken } = page(
        runner.stateMachines(),
        optionalString(input, 'nextToken'),
        maxResults(input, 100),
      );
      return {
        stateMachines: items.map((machine) => ({
          stateMachineArn: machine.arn,
          name: machine.name,
          type: 'STANDARD',
          creationDate: machine.creationDate,
        })),
        nextToken,
      };
    },
    DescribeStateMachine(input) {
      const machine = runner.stateMachine(requiredString(input, 'stateMachineArn'));
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: JSON.stringify(machine.definition),
        roleArn: machine.roleArn,
        type: 'STANDARD',
        creationDate: machine.creationDate,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
    StartExecution(input) {
      const execution = runner.start(
        requiredString(input, 'stateMachineArn'),
        optionalString(input, 'input') ?? '{}',
        optionalString(input, 'name'),
      );
      return { executionArn: execution.arn, startDate: execution.startDate };
    },
    DescribeExecution(input) {
      const execution = runner.execution(requiredString(input, 'executionArn'));
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
    },
    DescribeStateMachineForExecution(input) {
      const { stateMachine } = runner.execution(requiredString(input, 'executionArn'));
      return {
        stateMachineArn: stateMachine.arn,
        name: stateMachine.name,
        definition: JSON.stringify(stateMachine.definition),
        roleArn: stateMachine.roleArn,
        updateDate: stateMachine.creationDate,
      };
    },
    ListExecutions(input) {
      const statusFilter = optionalString(input, 'statusFilter');
      if (statusFilter !== undefined && !STATUSES.includes(statusFilter)) {
        throw new AwsApiError('ValidationException', `statusFilter must be one of ${STATUSES.join(', ')}`);
      }
      const stateMachineArn = requiredString(input, 'stateMachineArn');
      runner.stateMachine(stateMachineArn);
      const executions = runner
        .executionsOf(stateMachineArn)
        .filter((execution) => statusFilter === undefined || execution.status === statusFilter);
      const { items, nextToken } = page(executions, optionalString(input, 'nextToken'), maxResults(input, 100));
      return { executions: items.map(summary), nextToken };
    },
    GetExecutionHistory(input) {
      const execution = runner.execution(requiredString(input, 'executionArn'));
      const withData = optionalBoolean(input, 'includeExecutionData') ?? true;
      let events = execution.history.events.map((event) => (withData ? event : withoutData(event)));
      if (optionalBoolean(input, 'reverseOrder')) events = events.reverse();
      const { items, nextToken } = page(events, optionalString(input, 'nextToken'), maxResults(input, 100));
      return { events: items, nextToken };
    },
    StopExecution(input) {
      const execution = runner.execution(requiredString(input, 'executionArn'));
      execution.stop(optionalString(input, 'error'), optionalString(input, 'cause'));
      return { stopDate: execution.stopDate ?? new Date() };
    },
    SendTaskSuccess(input) {
      const output = requiredString(input, 'output');
      let parsed: unknown;
      try {
        parsed = JSON.parse(output);
      } catch {
        throw new AwsApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
      }
      tokens.succeed(requiredString(input, 'taskToken'), parsed);
      return {};
    },
    SendTaskFailure(input) {
      tokens.fail(requiredString(input, 'taskToken'), optionalString(input, 'error'), optionalString(input, 'cause'));
      return {};
    },
    SendTaskHeartbeat(input) {
      tokens.heartbeat(requiredString(input, 'taskToken'));
      return {};
    },
  };

  return {
    targetPrefix: 'AWSStepFunctions',
    signingName: 'states',
    async handle(operation, input) {
      const run = operations[operation];
      if (!run)
        throw new AwsApiError(
          'UnknownOperationException',
          `The sandbox's Step Functions does not support ${operation}`,
        );
      return run(input);
    },
  };
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
