import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import type { EcsPort } from '../../src/release/index.ts';
import { wiredEcs } from '../../src/release/wiring.ts';
import { rollBackService, rotateRollbackStep } from '../../src/rotation/index.ts';

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
