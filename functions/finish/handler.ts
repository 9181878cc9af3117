import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import { type EndedRelease, finishRelease } from '../../src/release/finish.ts';
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

const store = releaseStoreFromEnvironment();

// Published at once (EMF, singleMetric): a count per outcome and the lead time
// from push to end. A per-invocation buffer flushed by middleware would warn
// "no metrics" whenever there were none.
const metrics = new Metrics();
const observe = ({ service, environment, outcome, leadTimeSeconds }: EndedRelease) => {
  const metric = metrics.singleMetric();
  metric.addDimensions({ catalogService: service, environment, outcome });
  metric.addMetric('Releases', MetricUnit.Count, 1);
  metric.addMetric('ReleaseLeadTime', MetricUnit.Seconds, leadTimeSeconds);
};

/** `finish`: `{ request, executionId, outcome, reason?, deployment?, error?, analysis? }` → `{ releaseId, outcome, reason? }`. */
export const handler = lambdaHandler(async (event: unknown) =>
  finishRelease(parseEvent(inputSchema, event), { store, now: () => new Date(), observe }),
);
