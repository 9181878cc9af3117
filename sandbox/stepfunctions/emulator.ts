// The Step Functions API (JSON 1.0, `AWSStepFunctions`) over the runner:
// what `release watch/status/logs`, the functions' callbacks and `aws stepfunctions` call.
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import {
  describeExecution,
  getExecutionHistory,
  listExecutions,
  startExecution,
  stopExecution,
} from './execution-operations.ts';
import type { StateMachineRunner } from './runner.ts';
import {
  describeStateMachine,
  describeStateMachineForExecution,
  listStateMachines,
} from './state-machine-operations.ts';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './task-token-operations.ts';
import type { TaskTokens } from './task-tokens.ts';
import { STEP_FUNCTIONS_WIRE, type StepFunctionsModel } from './wire.ts';

/** The Step Functions operations the sandbox implements (sandbox/stepfunctions/README.md lists them). */
export const STEP_FUNCTIONS_OPERATIONS: OperationTable<StepFunctionsModel> = {
  ListStateMachines: listStateMachines,
  DescribeStateMachine: describeStateMachine,
  StartExecution: startExecution,
  DescribeExecution: describeExecution,
  DescribeStateMachineForExecution: describeStateMachineForExecution,
  ListExecutions: listExecutions,
  GetExecutionHistory: getExecutionHistory,
  StopExecution: stopExecution,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
};

/** The Step Functions API over the sandbox's runner and task tokens. */
export function createStepFunctionsEmulator(
  runner: StateMachineRunner,
  tokens: TaskTokens,
): TableEmulator<StepFunctionsModel> {
  return new TableEmulator(STEP_FUNCTIONS_WIRE, STEP_FUNCTIONS_OPERATIONS, { runner, tokens });
}
