// What Step Functions sends to EventBridge as an execution starts and ends:
// "Step Functions Execution Status Change" from `aws.states`, with dates in
// epoch milliseconds and the input and output as JSON text (Step Functions
// Developer Guide, "Automating Step Functions event delivery with EventBridge").
import { type EventBridgeEvent, newEvent } from '../eventbus/bus.ts';
import type { Execution } from './execution.ts';

export function executionStatusChange(
  execution: Execution,
  location: { accountId: string; region: string },
): EventBridgeEvent {
  const ended = execution.status !== 'RUNNING';
  return newEvent(
    {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      resources: [execution.arn],
      detail: {
        executionArn: execution.arn,
        stateMachineArn: execution.stateMachine.arn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate.getTime(),
        stopDate: ended ? (execution.stopDate ?? new Date()).getTime() : null,
        input: execution.input,
        output: execution.output ?? null,
        inputDetails: { included: true },
        outputDetails: ended ? { included: true } : null,
        ...(execution.error === undefined ? {} : { error: execution.error }),
        ...(execution.cause === undefined ? {} : { cause: execution.cause }),
      },
    },
    location,
  );
}
