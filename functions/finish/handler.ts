import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { createDynamoReleaseStore } from '../../src/adapters/release-store.ts';
import { type EndedRelease, finishRelease } from '../../src/domain/finish.ts';
import {
  caughtErrorSchema,
  deployResultSchema,
  releaseOutcomeSchema,
  releaseRequestSchema,
} from '../../src/domain/release-schemas.ts';
import { requireEnv } from '../../src/runtime/env.ts';
import { lambdaHandler } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const inputSchema = z.object({
  request: releaseRequestSchema,
  executionId: z.string().min(1),
  outcome: releaseOutcomeSchema,
  reason: z.string().min(1).optional(),
  deployment: deployResultSchema.optional(),
  error: caughtErrorSchema.optional(),
});

const store = createDynamoReleaseStore({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  releasesTable: requireEnv('RELEASES_TABLE'),
  locksTable: requireEnv('LOCKS_TABLE'),
});

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

/** `finish`: `{ request, executionId, outcome, reason?, deployment?, error? }` → `{ releaseId, outcome, reason? }`. */
export const handler = lambdaHandler(async (event: unknown) =>
  finishRelease(parseEvent(inputSchema, event), { store, now: () => new Date(), observe }),
);
