import { AdvanceFailedError, TransientError } from '../platform/errors.ts';
import { errorText } from '../platform/message-text.ts';
import type { StepInput, StepOutput } from '../platform/step.ts';
import type { EcsPort } from './ports/ecs.ts';
import type { advanceStep } from './steps.ts';

/** Which paused hook of which native deployment to answer with CONTINUE. */
export type AdvanceRequest = StepInput<typeof advanceStep>;

/** `advance`: the hook answered, and when: the next step's traffic starts about then. */
export type AdvanceResult = StepOutput<typeof advanceStep>;

/** What advancing uses: ECS and the clock. */
export interface AdvancePorts {
  ecs: Pick<EcsPort, 'continueServiceDeployment'>;
  now: () => Date;
}

/**
 * Lets a paused native deployment go on to its next stage. A refusal (the
 * hook timed out, the deployment ended) is an AdvanceFailedError: the release
 * can no longer say what the service runs, so it rolls back.
 */
export async function advanceRollout(request: AdvanceRequest, { ecs, now }: AdvancePorts): Promise<AdvanceResult> {
  try {
    await ecs.continueServiceDeployment(request.serviceDeploymentArn, request.hookId, 'CONTINUE');
  } catch (error) {
    if (error instanceof TransientError) throw error;
    throw new AdvanceFailedError(
      `ECS refused to continue ${request.serviceDeploymentArn} at hook ${request.hookId}: ${errorText(error)}`,
      { cause: error },
    );
  }
  return { hookId: request.hookId, action: 'CONTINUE', at: now().toISOString() };
}
