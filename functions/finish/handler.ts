import * as z from 'zod';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { releaseMetrics } from '../../src/release/adapters/release-metrics.ts';
import { wiredReleaseStore } from '../../src/release/adapters/wiring.ts';
import { type FinishDeps, finishRelease } from '../../src/release/finish.ts';
import {
  analysisSummarySchema,
  caughtErrorSchema,
  deployResultSchema,
  releaseOutcomeSchema,
  releaseRequestSchema,
} from '../../src/release/schemas.ts';

const inputSchema = z.object({
  request: releaseRequestSchema,
  executionId: z.string().min(1),
  outcome: releaseOutcomeSchema,
  reason: z.string().min(1).optional(),
  deployment: deployResultSchema.optional(),
  error: caughtErrorSchema.optional(),
  // The state machine hands on what it holds: {} for a rolling release, the
  // step's pacing alone when no analysis ran. Only a whole analysis is recorded.
  analysis: z
    .unknown()
    .optional()
    .transform((value) => analysisSummarySchema.safeParse(value).data),
});

/** `finish`: `{ request, executionId, outcome, reason?, deployment?, error?, analysis? }` → `{ releaseId, outcome, reason? }`. */
export function createFinishHandler(deps: FinishDeps & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => finishRelease(parseEvent(inputSchema, event), deps));
}

/** `finish` over the AWS `wiring` reaches, its figures published as CloudWatch metrics. */
export const wire = (wiring: Wiring) =>
  createFinishHandler({
    store: wiredReleaseStore(wiring),
    now: () => new Date(),
    observe: releaseMetrics(),
    logger: functionLogger('finish'),
  });

export const handler = lambdaEntry(wire);
