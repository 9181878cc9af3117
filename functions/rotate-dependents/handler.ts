import { ECSClient } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import { findDependents } from '../../src/domain/rotation-roll.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';
import { rollTargets, secretFor } from '../../src/runtime/rotation.ts';

const ecs = createEcsAdapter(new ECSClient({}));

const targets = rollTargets();

const inputSchema = z.object({ parameter: z.string().min(1) });

/** `rotateDependents`: `{ parameter }` → `{ services }`: the catalog targets to roll (explicit, or reading the parameter). */
export const handler = lambdaHandler(async (event: unknown) => {
  const { parameter } = parseEvent(inputSchema, event);
  const secret = secretFor(parameter);
  const services = await findDependents(parameter, secret.services, targets, { ecs });
  logger.info('services to roll', { parameter, services: services.map((s) => `${s.service}/${s.environment}`) });
  return { services };
});
