import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredEcs, wiredReleaseStore } from '../../src/release/adapters/wiring.ts';
import type { ReleaseStore } from '../../src/release/ports/release-store.ts';
import type { StabilityResult } from '../../src/release/release.ts';
import { checkStability, type StabilityPorts } from '../../src/release/stability.ts';
import { waitStableStep } from '../../src/release/steps.ts';
import { wiredRotationLock } from '../../src/rotation/adapters/wiring.ts';
import type { RotationLock } from '../../src/rotation/ports/rotation-lock.ts';

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
