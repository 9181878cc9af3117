import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { type AdvancePorts, type AdvanceResult, advanceRollout, advanceStep } from '../../src/release/index.ts';
import { wiredEcs } from '../../src/release/wiring.ts';

/** `advance`: `{ serviceDeploymentArn, hookId }` → ContinueServiceDeployment CONTINUE → `{ hookId, action, at }`. */
export function createAdvanceHandler(deps: AdvancePorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<AdvanceResult> => {
    const request = parseEvent(advanceStep.input, event);
    const result = await advanceRollout(request, deps);
    logger.info('continued', { serviceDeploymentArn: request.serviceDeploymentArn, hookId: request.hookId });
    return result;
  });
}

/** `advance` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createAdvanceHandler({ ecs: wiredEcs(wiring), now: () => new Date(), logger: functionLogger('advance', wiring.env) });

export const handler = lambdaEntry(wire);
