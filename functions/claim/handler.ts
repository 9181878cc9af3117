import * as z from 'zod';
import { lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import { claimRelease } from '../../src/release/claim.ts';
import { releaseRequestSchema } from '../../src/release/schemas.ts';

const inputSchema = z.object({ request: releaseRequestSchema, executionId: z.string().min(1) });

const store = releaseStoreFromEnvironment();

/** `claim`: `{ request, executionId }` → ClaimResult (ACQUIRED, BUSY, DUPLICATE, SUPERSEDED or NOOP). */
export const handler = lambdaHandler(async (event: unknown) =>
  claimRelease(parseEvent(inputSchema, event), { store, now: () => new Date() }),
);
