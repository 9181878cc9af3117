import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredEcs } from '../../src/release/adapters/wiring.ts';
import { describeCaughtError } from '../../src/release/caught-error.ts';
import type { RollbackResult } from '../../src/release/release.ts';
import { type RollbackPorts, rollBack } from '../../src/release/rollback.ts';
import { rollbackStep } from '../../src/release/steps.ts';

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
