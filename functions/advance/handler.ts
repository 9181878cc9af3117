import { ECSClient } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import { type AdvanceResult, advanceRollout } from '../../src/domain/advance.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const ecs = createEcsAdapter(new ECSClient({}));

const inputSchema = z.object({ serviceDeploymentArn: z.string().min(1), hookId: z.string().min(1) });

/** `{ serviceDeploymentArn, hookId }` → ContinueServiceDeployment CONTINUE → `{ hookId, action, at }`. */
export const handler = lambdaHandler(async (event: unknown): Promise<AdvanceResult> => {
  const request = parseEvent(inputSchema, event);
  const result = await advanceRollout(request, { ecs, now: () => new Date() });
  logger.info('continued', { serviceDeploymentArn: request.serviceDeploymentArn, hookId: request.hookId });
  return result;
});
