import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import {
  describeCaughtError,
  type EcsForTargets,
  type RollbackPorts,
  type RollbackResult,
  rollBack,
  rollbackStep,
} from '../../src/release/index.ts';
import { wiredEcsFor } from '../../src/release/wiring.ts';

/** { request, deployment, error } → how the service is being returned to the previous revision. */
export function createRollbackHandler(deps: EcsForTargets<RollbackPorts> & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<RollbackResult> => {
    const { request, deployment, error } = parseEvent(rollbackStep.input, event);
    const to = deployment.previousTaskDefinitionArn;
    logger.warn('rolling back', { releaseId: request.releaseId, to, reason: describeCaughtError(error) });
    return rollBack(request, deployment, { ...deps, ecs: deps.ecsFor(request.target.access, request.releaseId) });
  });
}

/** `rollback` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createRollbackHandler({
    ecsFor: wiredEcsFor(wiring),
    now: () => new Date(),
    logger: functionLogger('rollback', wiring.env),
  });

export const handler = lambdaEntry(wire);
