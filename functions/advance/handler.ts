import { ECSClient } from '@aws-sdk/client-ecs';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { type AdvanceResult, advanceRollout } from '../../src/release/advance.ts';
import { advanceStep } from '../../src/release/steps.ts';

const ecs = createEcsAdapter(new ECSClient({}));

/** `{ serviceDeploymentArn, hookId }` → ContinueServiceDeployment CONTINUE → `{ hookId, action, at }`. */
export const handler = lambdaHandler(async (event: unknown): Promise<AdvanceResult> => {
  const request = parseEvent(advanceStep.input, event);
  const result = await advanceRollout(request, { ecs, now: () => new Date() });
  logger.info('continued', { serviceDeploymentArn: request.serviceDeploymentArn, hookId: request.hookId });
  return result;
});
