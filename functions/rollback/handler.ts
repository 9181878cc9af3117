import { ECSClient } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import { describeCaughtError } from '../../src/domain/caught-error.ts';
import type { RollbackResult } from '../../src/domain/release.ts';
import { caughtErrorSchema, deployResultSchema, releaseRequestSchema } from '../../src/domain/release-schemas.ts';
import { rollBack } from '../../src/domain/rollback.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const ecs = createEcsAdapter(new ECSClient({}));

const inputSchema = z.object({
  request: releaseRequestSchema,
  deployment: deployResultSchema,
  error: caughtErrorSchema,
});

/** { request, deployment, error } → how the service is being returned to the previous revision. */
export const handler = lambdaHandler(async (event: unknown): Promise<RollbackResult> => {
  const { request, deployment, error } = parseEvent(inputSchema, event);
  logger.warn('rolling back', {
    releaseId: request.releaseId,
    to: deployment.previousTaskDefinitionArn,
    reason: describeCaughtError(error),
  });
  return rollBack(request, deployment, { ecs, now: () => new Date() });
});
