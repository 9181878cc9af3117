import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { awsCall } from '../../platform/aws-errors.ts';
import type { ReleaseWorkflow, TaskAnswer } from '../ports/workflow.ts';
import { sendTaskCallback } from './task-callback.ts';

// The approval's answer: a refusal says it may be given again (the approval is reopened).
const answer = (send: () => Promise<unknown>): Promise<TaskAnswer> =>
  sendTaskCallback(
    'Step Functions task callback',
    (name) => `Step Functions did not take the approval's answer (${name}); it may be given again`,
    send,
  );

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
