import { ECSClient } from '@aws-sdk/client-ecs';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { rollTargets, secretFor } from '../../src/rotation/adapters/rotation-from-env.ts';
import { findDependents } from '../../src/rotation/roll.ts';
import { rotateDependentsStep } from '../../src/rotation/steps.ts';

const ecs = createEcsAdapter(new ECSClient({}));

const targets = rollTargets();

/** `rotateDependents`: `{ parameter }` → `{ services }`: the catalog targets to roll (explicit, or reading the parameter). */
export const handler = lambdaHandler(async (event: unknown) => {
  const { parameter } = parseEvent(rotateDependentsStep.input, event);
  const secret = secretFor(parameter);
  const services = await findDependents(parameter, secret.services, targets, { ecs });
  logger.info('services to roll', { parameter, services: services.map((s) => `${s.service}/${s.environment}`) });
  return { services };
});
