import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { createDynamoReleaseStore } from '../../src/adapters/release-store.ts';
import { claimRelease } from '../../src/domain/claim.ts';
import { releaseRequestSchema } from '../../src/domain/release-schemas.ts';
import { requireEnv } from '../../src/runtime/env.ts';
import { lambdaHandler } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const inputSchema = z.object({ request: releaseRequestSchema, executionId: z.string().min(1) });

const store = createDynamoReleaseStore({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  releasesTable: requireEnv('RELEASES_TABLE'),
  locksTable: requireEnv('LOCKS_TABLE'),
});

/** `claim`: `{ request, executionId }` → ClaimResult (ACQUIRED, BUSY, DUPLICATE, SUPERSEDED or NOOP). */
export const handler = lambdaHandler(async (event: unknown) =>
  claimRelease(parseEvent(inputSchema, event), { store, now: () => new Date() }),
);
