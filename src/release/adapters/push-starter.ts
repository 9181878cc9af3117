import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsCall } from '../../platform/aws-errors.ts';
import type { PushStarter } from '../ports/workflow.ts';

/** The push starter over an SFN client and the release state machine's ARN. */
export function createPushStarter(client: SFNClient, stateMachineArn: string): PushStarter {
  return {
    async startPush(name, event) {
      try {
        await awsCall('StartExecution', () =>
          client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(event) })),
        );
        return 'STARTED';
      } catch (error) {
        // The name is taken (within 90 days): this image's release was started already, by an earlier run.
        if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return 'ALREADY_STARTED';
        throw error;
      }
    },
  };
}
