import type { InputReader } from '../aws/input-reader.ts';
import { pageOf, type StepFunctionsModel } from './wire.ts';

/** ListStateMachines: serverless.yml's state machines, all STANDARD. */
export function listStateMachines({ runner }: StepFunctionsModel, reader: InputReader) {
  const { items, nextToken } = pageOf(runner.stateMachines(), reader);
  return {
    stateMachines: items.map((machine) => ({
      stateMachineArn: machine.arn,
      name: machine.name,
      type: 'STANDARD',
      creationDate: machine.creationDate,
    })),
    nextToken,
  };
}

/** DescribeStateMachine: its definition as deployed, logging and tracing off. */
export function describeStateMachine({ runner }: StepFunctionsModel, reader: InputReader) {
  const machine = runner.stateMachine(reader.string('stateMachineArn', { allowBlank: true }));
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
}

/** DescribeStateMachineForExecution: the state machine an execution runs. */
export function describeStateMachineForExecution({ runner }: StepFunctionsModel, reader: InputReader) {
  const { stateMachine } = runner.execution(reader.string('executionArn', { allowBlank: true }));
  return {
    stateMachineArn: stateMachine.arn,
    name: stateMachine.name,
    definition: JSON.stringify(stateMachine.definition),
    roleArn: stateMachine.roleArn,
    updateDate: stateMachine.creationDate,
  };
}
