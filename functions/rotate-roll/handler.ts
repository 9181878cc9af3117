import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { parseEvent } from '../../src/platform/index.ts';
import {
  functionLogger,
  idempotencyStore,
  idempotentOn,
  type Logged,
  lambdaEntry,
  lambdaHandler,
  type Wiring,
} from '../../src/platform/wiring.ts';
import { rollService, rotateRollStep } from '../../src/rotation/index.ts';
import { type DependentEcs, wiredDependentEcs } from '../../src/rotation/wiring.ts';

/**
 * `rotateRoll`: `{ rotationId, target }` → the forced deployment to wait on (waitStable's query). A retry after a
 * lost response, or a resumed rotation, gets the first deployment back: one roll per service per rotation.
 */
export function createRotateRollHandler(deps: { ecs: DependentEcs; idempotency: BasePersistenceLayer } & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown) => {
    const { rotationId, target } = parseEvent(rotateRollStep.input, event);
    const roll = await rollService(target, { ecs: deps.ecs(target.access, rotationId), now: () => new Date() });
    logger.info('rolling service', { rotationId, service: target.service, environment: target.environment, ...roll });
    return roll;
  }).use(idempotentOn('[rotationId, target.service, target.environment]', deps.idempotency, logger));
}

/** `rotateRoll` over ECS in the target's account and region. */
export const wire = (wiring: Wiring) =>
  createRotateRollHandler({
    ecs: wiredDependentEcs(wiring),
    idempotency: idempotencyStore(wiring),
    logger: functionLogger('rotateRoll', wiring.env),
  });

export const handler = lambdaEntry(wire);
