import { ECSClient } from '@aws-sdk/client-ecs';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import type { StabilityResult } from '../../src/domain/release.ts';
import { stabilityQuerySchema } from '../../src/domain/release-schemas.ts';
import { checkStability } from '../../src/domain/stability.ts';
import { lambdaHandler } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const ecs = createEcsAdapter(new ECSClient({}));

/** StabilityQuery → IN_PROGRESS | SUCCESSFUL; a failed deployment, rollback or deadline is thrown with its reasons. */
export const handler = lambdaHandler(async (event: unknown): Promise<StabilityResult> => {
  const query = parseEvent(stabilityQuerySchema, event);
  return checkStability(query, { ecs, now: () => new Date() });
});
