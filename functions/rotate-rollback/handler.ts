import { ECSClient } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import { rollBackService } from '../../src/domain/rotation-roll.ts';
import { rollQuerySchema, rollTargetSchema } from '../../src/domain/rotation-schemas.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const ecs = createEcsAdapter(new ECSClient({}));

const inputSchema = z.object({ target: rollTargetSchema, roll: rollQuerySchema });

/** `rotateRollback`: `{ target, roll }` → `{ query? }`: the rollback to wait on, none when the deployment had already ended. */
export const handler = lambdaHandler(async (event: unknown) => {
  const { target, roll } = parseEvent(inputSchema, event);
  const query = await rollBackService(target, roll, { ecs, now: () => new Date() });
  logger.warn('rolling back a service roll', { service: target.service, environment: target.environment, query });
  return query === undefined ? {} : { query };
});
