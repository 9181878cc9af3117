import { ECSClient } from '@aws-sdk/client-ecs';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { rollBackService } from '../../src/rotation/roll.ts';
import { rotateRollbackStep } from '../../src/rotation/steps.ts';

const ecs = createEcsAdapter(new ECSClient({}));

/** `rotateRollback`: `{ target, roll }` → `{ query? }`: the rollback to wait on, none when the deployment had already ended. */
export const handler = lambdaHandler(async (event: unknown) => {
  const { target, roll } = parseEvent(rotateRollbackStep.input, event);
  const query = await rollBackService(target, roll, { ecs, now: () => new Date() });
  logger.warn('rolling back a service roll', { service: target.service, environment: target.environment, query });
  return query === undefined ? {} : { query };
});
