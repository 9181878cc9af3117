import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { rollBackService, rotateRollbackStep } from '../../src/rotation/index.ts';
import { type DependentEcs, wiredDependentEcs } from '../../src/rotation/wiring.ts';

/** `rotateRollback`: `{ rotationId, target, roll }` → `{ query? }`: the rollback to wait on, none when the deployment had already ended. */
export function createRotateRollbackHandler({ ecs, logger }: { ecs: DependentEcs } & Logged) {
  return lambdaHandler(logger, async (event: unknown) => {
    const { rotationId, target, roll } = parseEvent(rotateRollbackStep.input, event);
    const query = await rollBackService(target, roll, { ecs: ecs(target.access, rotationId), now: () => new Date() });
    logger.warn('rolling back a service roll', { service: target.service, environment: target.environment, query });
    return query === undefined ? {} : { query };
  });
}

/** `rotateRollback` over ECS in the target's account and region. */
export const wire = (wiring: Wiring) =>
  createRotateRollbackHandler({ ecs: wiredDependentEcs(wiring), logger: functionLogger('rotateRollback', wiring.env) });

export const handler = lambdaEntry(wire);
