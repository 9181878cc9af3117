import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredEcs } from '../../src/release/adapters/wiring.ts';
import type { EcsPort } from '../../src/release/ports/ecs.ts';
import { rollBackService } from '../../src/rotation/roll.ts';
import { rotateRollbackStep } from '../../src/rotation/steps.ts';

/** `rotateRollback`: `{ target, roll }` → `{ query? }`: the rollback to wait on, none when the deployment had already ended. */
export function createRotateRollbackHandler({ ecs, logger }: { ecs: EcsPort } & Logged) {
  return lambdaHandler(logger, async (event: unknown) => {
    const { target, roll } = parseEvent(rotateRollbackStep.input, event);
    const query = await rollBackService(target, roll, { ecs, now: () => new Date() });
    logger.warn('rolling back a service roll', { service: target.service, environment: target.environment, query });
    return query === undefined ? {} : { query };
  });
}

/** `rotateRollback` over the ECS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createRotateRollbackHandler({ ecs: wiredEcs(wiring), logger: functionLogger('rotateRollback', wiring.env) });

export const handler = lambdaEntry(wire);
