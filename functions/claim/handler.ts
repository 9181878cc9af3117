import * as z from 'zod';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredReleaseStore } from '../../src/release/adapters/wiring.ts';
import { type ClaimDeps, claimRelease } from '../../src/release/claim.ts';
import { releaseRequestSchema } from '../../src/release/schemas.ts';

const inputSchema = z.object({ request: releaseRequestSchema, executionId: z.string().min(1) });

/** `claim`: `{ request, executionId }` → ClaimResult (ACQUIRED, BUSY, DUPLICATE, SUPERSEDED or NOOP). */
export function createClaimHandler(deps: ClaimDeps & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => claimRelease(parseEvent(inputSchema, event), deps));
}

/** `claim` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createClaimHandler({ store: wiredReleaseStore(wiring), now: () => new Date(), logger: functionLogger('claim') });

export const handler = lambdaEntry(wire);
