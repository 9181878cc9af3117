import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsCall } from '../../platform/aws-errors.ts';
import type { RotationWorkflow } from '../ports/rotation-workflow.ts';

/** The rotation workflow over an SFN client and the rotation state machine's ARN. */
export function createRotationWorkflow(client: SFNClient, stateMachineArn: string): RotationWorkflow {
  return {
    async start(request) {
      const output = await awsCall('StartExecution', () =>
        client.send(
          new StartExecutionCommand({ stateMachineArn, name: request.rotationId, input: JSON.stringify(request) }),
        ),
      );
      if (!output.executionArn) throw new Error('Step Functions started a rotation but returned no ARN');
      return { executionArn: output.executionArn };
    },
  };
}
