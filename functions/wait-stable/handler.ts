import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import type { EcsForTargets, ReleaseStore, StabilityPorts, StabilityResult } from '../../src/release/index.ts';
import { checkStability, sessionOf, waitStableStep } from '../../src/release/index.ts';
import { wiredEcsFor, wiredReleaseStore } from '../../src/release/wiring.ts';
import type { RotationLock } from '../../src/rotation/index.ts';
import { wiredRotationLock } from '../../src/rotation/wiring.ts';

/**
 * StabilityQuery → IN_PROGRESS | SUCCESSFUL (| PAUSED for a native deployment, with `next`, `hook` and
 * `productionWeight`), and the promote or abort asked (`control`); a failure or deadline is thrown with its reasons.
 */
export function createWaitStableHandler(deps: EcsForTargets<StabilityPorts> & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown): Promise<StabilityResult> => {
    const query = parseEvent(waitStableStep.input, event);
    return checkStability(query, { ...deps, ecs: deps.ecsFor(query.access, sessionOf(query)) });
  });
}

/**
 * `waitStable` over the AWS `wiring` reaches. The release store is built on the first query that reads a
 * promote or abort (the rollback's checks never do), the rotation lock on the first look at a rotation's roll.
 */
export const wire = (wiring: Wiring) => {
  let store: ReleaseStore | undefined;
  let lock: RotationLock | undefined;
  return createWaitStableHandler({
    ecsFor: wiredEcsFor(wiring),
    now: () => new Date(),
    controls: () => (store ??= wiredReleaseStore(wiring)),
    rotationLock: () => (lock ??= wiredRotationLock(wiring)),
    logger: functionLogger('waitStable', wiring.env),
  });
};

export const handler = lambdaEntry(wire);
