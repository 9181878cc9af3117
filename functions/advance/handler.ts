import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredEcs } from '../../src/release/adapters/wiring.ts';
import { type AdvancePorts, type AdvanceResult, advanceRollout } from '../../src/release/advance.ts';
import { advanceStep } from '../../src/release/steps.ts';

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
