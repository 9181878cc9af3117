import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { idempotencyStore, idempotentOn } from '../../src/platform/idempotency.ts';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredEcs } from '../../src/release/adapters/wiring.ts';
import type { EcsPort } from '../../src/release/ports/ecs.ts';
import { rollService } from '../../src/rotation/roll.ts';
import { rotateRollStep } from '../../src/rotation/steps.ts';

/**
 * `rotateRoll`: `{ rotationId, target }` → the forced deployment to wait on (waitStable's query). A retry after a
 * lost response, or a resumed rotation, gets the first deployment back: one roll per service per rotation.
 */
export function createRotateRollHandler(deps: { ecs: EcsPort; idempotency: BasePersistenceLayer } & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown) => {
    const { rotationId, target } = parseEvent(rotateRollStep.input, event);
    const roll = await rollService(target, { ecs: deps.ecs, now: () => new Date() });
    logger.info('rolling service', { rotationId, service: target.service, environment: target.environment, ...roll });
    return roll;
  }).use(idempotentOn('[rotationId, target.service, target.environment]', deps.idempotency, logger));
}

/** `rotateRoll` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createRotateRollHandler({
    ecs: wiredEcs(wiring),
    idempotency: idempotencyStore(wiring),
    logger: functionLogger('rotateRoll', wiring.env),
  });

export const handler = lambdaEntry(wire);
