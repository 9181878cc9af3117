import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import {
  describeCaughtError,
  type RollbackPorts,
  type RollbackResult,
  rollBack,
  rollbackStep,
} from '../../src/release/index.ts';
import { wiredEcs } from '../../src/release/wiring.ts';

/** { request, deployment, error } → how the service is being returned to the previous revision. */
export function createRollbackHandler(deps: RollbackPorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<RollbackResult> => {
    const { request, deployment, error } = parseEvent(rollbackStep.input, event);
    const to = deployment.previousTaskDefinitionArn;
    logger.warn('rolling back', { releaseId: request.releaseId, to, reason: describeCaughtError(error) });
    return rollBack(request, deployment, deps);
  });
}

/** `rollback` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createRollbackHandler({
    ecs: wiredEcs(wiring),
    now: () => new Date(),
    logger: functionLogger('rollback', wiring.env),
  });

export const handler = lambdaEntry(wire);
