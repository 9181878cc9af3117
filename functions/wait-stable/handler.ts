import { ECSClient } from '@aws-sdk/client-ecs';
import { lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import type { ReleaseStore } from '../../src/release/ports/release-store.ts';
import type { StabilityResult } from '../../src/release/release.ts';
import { checkStability } from '../../src/release/stability.ts';
import { waitStableStep } from '../../src/release/steps.ts';
import { rotationLockFromEnvironment } from '../../src/rotation/adapters/rotation-lock-from-env.ts';
import type { RotationLock } from '../../src/rotation/ports/rotation-lock.ts';

const ecs = createEcsAdapter(new ECSClient({}));

// Built on the first query that reads a promote or abort (the rollback's
// checks never do), once per cold start.
let store: ReleaseStore | undefined;
const controls = () => {
  store ??= releaseStoreFromEnvironment();
  return store;
};
// Built on the first look at a rotation's roll, whose lease it renews.
let lock: RotationLock | undefined;
const rotationLock = () => {
  lock ??= rotationLockFromEnvironment();
  return lock;
};

/**
 * StabilityQuery → IN_PROGRESS | SUCCESSFUL (| PAUSED for a native deployment,
 * with `next`, `hook` and `productionWeight`), and the promote or abort asked
 * (`control`); a failed deployment, rollback or deadline is thrown with its reasons.
 */
export const handler = lambdaHandler(async (event: unknown): Promise<StabilityResult> => {
  const query = parseEvent(waitStableStep.input, event);
  return checkStability(query, { ecs, now: () => new Date(), controls, rotationLock });
});
