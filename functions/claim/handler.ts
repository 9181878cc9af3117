import * as z from 'zod';
import { claimRelease } from '../../src/domain/claim.ts';
import { releaseRequestSchema } from '../../src/domain/release-schemas.ts';
import { lambdaHandler } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';
import { releaseStoreFromEnvironment } from '../../src/runtime/release-store.ts';

const inputSchema = z.object({ request: releaseRequestSchema, executionId: z.string().min(1) });

const store = releaseStoreFromEnvironment();

/** `claim`: `{ request, executionId }` → ClaimResult (ACQUIRED, BUSY, DUPLICATE, SUPERSEDED or NOOP). */
export const handler = lambdaHandler(async (event: unknown) =>
  claimRelease(parseEvent(inputSchema, event), { store, now: () => new Date() }),
);
