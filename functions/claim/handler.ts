import { lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import { claimRelease } from '../../src/release/claim.ts';
import { claimStep } from '../../src/release/steps.ts';

const store = releaseStoreFromEnvironment();

/** `claim`: `{ request, executionId }` → ClaimResult (ACQUIRED, BUSY, DUPLICATE, SUPERSEDED or NOOP). */
export const handler = lambdaHandler(async (event: unknown) =>
  claimRelease(parseEvent(claimStep.input, event), { store, now: () => new Date() }),
);
