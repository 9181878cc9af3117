import { ECSClient } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import type { StabilityQuery, StabilityResult } from '../../src/domain/release.ts';
import { checkStability } from '../../src/domain/stability.ts';
import { lambdaHandler } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const ecs = createEcsAdapter(new ECSClient({}));

const querySchema: z.ZodType<StabilityQuery> = z.object({
  cluster: z.string().min(1),
  ecsService: z.string().min(1),
  serviceDeploymentArn: z.string().min(1),
  taskDefinitionArn: z.string().min(1),
  deadline: z.iso.datetime({ offset: true }),
  mode: z.enum(['deploy', 'rollback']),
});

/** StabilityQuery → IN_PROGRESS | SUCCESSFUL; a failed deployment, rollback or deadline is thrown with its reasons. */
export const handler = lambdaHandler(async (event: unknown): Promise<StabilityResult> => {
  const query = parseEvent(querySchema, event);
  return checkStability(query, { ecs, now: () => new Date() });
});
