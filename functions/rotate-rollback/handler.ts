import { ECSClient } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { rollBackService } from '../../src/rotation/roll.ts';
import { rollQuerySchema, rollTargetSchema } from '../../src/rotation/schemas.ts';

const ecs = createEcsAdapter(new ECSClient({}));

const inputSchema = z.object({ target: rollTargetSchema, roll: rollQuerySchema });

/** `rotateRollback`: `{ target, roll }` → `{ query? }`: the rollback to wait on, none when the deployment had already ended. */
export const handler = lambdaHandler(async (event: unknown) => {
  const { target, roll } = parseEvent(inputSchema, event);
  const query = await rollBackService(target, roll, { ecs, now: () => new Date() });
  logger.warn('rolling back a service roll', { service: target.service, environment: target.environment, query });
  return query === undefined ? {} : { query };
});
