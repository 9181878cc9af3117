import { ECSClient } from '@aws-sdk/client-ecs';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import type { StabilityResult } from '../../src/domain/release.ts';
import { stabilityQuerySchema } from '../../src/domain/release-schemas.ts';
import { checkStability } from '../../src/domain/stability.ts';
import type { ReleaseStore } from '../../src/ports/release-store.ts';
import type { RotationLock } from '../../src/ports/rotation-lock.ts';
import { lambdaHandler } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';
import { releaseStoreFromEnvironment } from '../../src/runtime/release-store.ts';
import { rotationLockFromEnvironment } from '../../src/runtime/rotation-lock.ts';

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
  const query = parseEvent(stabilityQuerySchema, event);
  return checkStability(query, { ecs, now: () => new Date(), controls, rotationLock });
});
