import { ECSClient } from '@aws-sdk/client-ecs';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { describeCaughtError } from '../../src/release/caught-error.ts';
import type { RollbackResult } from '../../src/release/release.ts';
import { rollBack } from '../../src/release/rollback.ts';
import { rollbackStep } from '../../src/release/steps.ts';

const ecs = createEcsAdapter(new ECSClient({}));

/** { request, deployment, error } → how the service is being returned to the previous revision. */
export const handler = lambdaHandler(async (event: unknown): Promise<RollbackResult> => {
  const { request, deployment, error } = parseEvent(rollbackStep.input, event);
  logger.warn('rolling back', {
    releaseId: request.releaseId,
    to: deployment.previousTaskDefinitionArn,
    reason: describeCaughtError(error),
  });
  return rollBack(request, deployment, { ecs, now: () => new Date() });
});
