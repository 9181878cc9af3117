import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ReleaseWorkflow, TaskAnswer } from '../ports/workflow.ts';
import { awsCall } from './aws-errors.ts';

// What Step Functions answers for a token whose task is gone: it timed out, its
// execution ended, or the token is not one it issued.
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

async function answer(send: () => Promise<unknown>): Promise<TaskAnswer> {
  try {
    await awsCall('Step Functions task callback', send);
    return 'DELIVERED';
  } catch (error) {
    if (error instanceof Error && GONE.has(error.name)) return 'EXPIRED';
    // The SDK's message names the operation, never the token; nothing more is added here.
    throw error;
  }
}

/** The release workflow over an SFN client and the release state machine's ARN. */
export function createReleaseWorkflow(client: SFNClient, stateMachineArn: string): ReleaseWorkflow {
  return {
    approve: (taskToken, output) =>
      answer(() => client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    reject: (taskToken, error, cause) =>
      answer(() => client.send(new SendTaskFailureCommand({ taskToken, error, cause }))),
    async start(name, planned) {
      const output = await awsCall('StartExecution', () =>
        client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(planned) })),
      );
      if (!output.executionArn) throw new Error('Step Functions started an execution but returned no ARN');
      return { executionArn: output.executionArn };
    },
  };
}
