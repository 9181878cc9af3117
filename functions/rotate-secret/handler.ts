import { runtimeCatalog } from '#catalog';
import { homeOf, parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { rotateSecretStep } from '../../src/rotation/index.ts';
import {
  type RotationStepPorts,
  runRotationStep,
  wiredDependentEcs,
  wiredRotationPorts,
} from '../../src/rotation/wiring.ts';

/**
 * `rotateSecret`: `{ step, request: { parameter, rotationId, requestedBy? }, ending? }` → the
 * step's result: names, versions and statuses, never a value.
 */
export function createRotateSecretHandler(deps: RotationStepPorts & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => {
    const input = parseEvent(rotateSecretStep.input, event);
    const { secret, result } = await runRotationStep(input, deps);
    deps.logger.info(`rotation ${input.step}`, { secret, ...input.request, result });
    return result;
  });
}

/** `rotateSecret` over the catalog, SSM, the lock and ECS in each dependent's account (create asks what they run). */
export const wire = (wiring: Wiring) =>
  createRotateSecretHandler({
    catalog: runtimeCatalog(wiring.env),
    home: homeOf(wiring.env),
    ...wiredRotationPorts(wiring),
    ecs: wiredDependentEcs(wiring),
    now: () => new Date(),
    logger: functionLogger('rotateSecret', wiring.env),
  });

export const handler = lambdaEntry(wire);
