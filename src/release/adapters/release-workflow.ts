import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { awsCall, classifyAwsError } from '../../platform/aws-errors.ts';
import { TransientError } from '../../platform/errors.ts';
import type { ReleaseWorkflow, TaskAnswer } from '../ports/workflow.ts';

// What Step Functions answers for a token whose task is gone: it timed out, its
// execution ended, or the token is not one it issued.
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** A callback Step Functions refused for another reason; named by the error only (its message could quote the token). */
export class TaskCallbackError extends Error {
  override readonly name = 'TaskCallbackError';
}

async function answer(send: () => Promise<unknown>): Promise<TaskAnswer> {
  try {
    await send();
    return 'DELIVERED';
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    if (GONE.has(name)) return 'EXPIRED';
    const failure = classifyAwsError('Step Functions task callback', error);
    const message = `Step Functions did not take the approval's answer (${name}); it may be given again`;
    throw failure instanceof TransientError ? new TransientError(message) : new TaskCallbackError(message);
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
