import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import {
  type AdvancePorts,
  type AdvanceResult,
  advanceRollout,
  advanceStep,
  type EcsForTargets,
} from '../../src/release/index.ts';
import { wiredEcsFor } from '../../src/release/wiring.ts';

/** `advance`: `{ serviceDeploymentArn, hookId }` → ContinueServiceDeployment CONTINUE → `{ hookId, action, at }`. */
export function createAdvanceHandler(deps: EcsForTargets<AdvancePorts> & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<AdvanceResult> => {
    const request = parseEvent(advanceStep.input, event);
    const ecs = deps.ecsFor(request.access, request.releaseId ?? 'release-automation');
    const result = await advanceRollout(request, { ...deps, ecs });
    logger.info('continued', { serviceDeploymentArn: request.serviceDeploymentArn, hookId: request.hookId });
    return result;
  });
}

/** `advance` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createAdvanceHandler({
    ecsFor: wiredEcsFor(wiring),
    now: () => new Date(),
    logger: functionLogger('advance', wiring.env),
  });

export const handler = lambdaEntry(wire);
