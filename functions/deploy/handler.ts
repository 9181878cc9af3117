import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { parseEvent } from '../../src/platform/index.ts';
import type { Logged, Wiring } from '../../src/platform/wiring.ts';
import {
  functionLogger,
  idempotencyStore,
  idempotentOn,
  lambdaEntry,
  lambdaHandler,
} from '../../src/platform/wiring.ts';
import type { AlreadyLive, DeployPorts, DeployResult, EcsForTargets } from '../../src/release/index.ts';
import { deployRelease, deployStep } from '../../src/release/index.ts';
import { wiredEcsFor } from '../../src/release/wiring.ts';

/**
 * { request } → the revision registered and the service deployment started, or why nothing changed (`noop`).
 * A retry after a lost response gets the first result back instead of deploying again; input without a
 * release id skips that check and fails validation, changing nothing.
 */
type Deps = EcsForTargets<DeployPorts> & Logged & { idempotency: BasePersistenceLayer };

export function createDeployHandler(deps: Deps) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<DeployResult | AlreadyLive> => {
    const { request } = parseEvent(deployStep.input, event);
    const ecs = deps.ecsFor(request.target.access, request.releaseId);
    const result = await deployRelease(request, { ...deps, ecs });
    logger.info('noop' in result ? 'already live' : 'deployed', { releaseId: request.releaseId, ...result });
    return result;
  }).use(idempotentOn('request.releaseId', deps.idempotency, logger));
}

/** `deploy` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createDeployHandler({
    ecsFor: wiredEcsFor(wiring),
    idempotency: idempotencyStore(wiring),
    now: () => new Date(),
    logger: functionLogger('deploy', wiring.env),
  });

export const handler = lambdaEntry(wire);
