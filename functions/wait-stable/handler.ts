import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import type { ReleaseStore, StabilityPorts, StabilityResult } from '../../src/release/index.ts';
import { checkStability, waitStableStep } from '../../src/release/index.ts';
import { wiredEcs, wiredReleaseStore } from '../../src/release/wiring.ts';
import type { RotationLock } from '../../src/rotation/index.ts';
import { wiredRotationLock } from '../../src/rotation/wiring.ts';

/**
 * StabilityQuery → IN_PROGRESS | SUCCESSFUL (| PAUSED for a native deployment, with `next`, `hook` and
 * `productionWeight`), and the promote or abort asked (`control`); a failure or deadline is thrown with its reasons.
 */
export function createWaitStableHandler(deps: StabilityPorts & Logged) {
  return lambdaHandler(
    deps.logger,
    async (event: unknown): Promise<StabilityResult> => checkStability(parseEvent(waitStableStep.input, event), deps),
  );
}

/**
 * `waitStable` over the AWS `wiring` reaches. The release store is built on the first query that reads a
 * promote or abort (the rollback's checks never do), the rotation lock on the first look at a rotation's roll.
 */
export const wire = (wiring: Wiring) => {
  let store: ReleaseStore | undefined;
  let lock: RotationLock | undefined;
  return createWaitStableHandler({
    ecs: wiredEcs(wiring),
    now: () => new Date(),
    controls: () => (store ??= wiredReleaseStore(wiring)),
    rotationLock: () => (lock ??= wiredRotationLock(wiring)),
    logger: functionLogger('waitStable', wiring.env),
  });
};

export const handler = lambdaEntry(wire);
