import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredReleaseStore } from '../../src/release/adapters/wiring.ts';
import { type ClaimDeps, claimRelease } from '../../src/release/claim.ts';
import { claimStep } from '../../src/release/steps.ts';

/** `claim`: `{ request, executionId }` → ClaimResult (ACQUIRED, BUSY, DUPLICATE, SUPERSEDED or NOOP). */
export function createClaimHandler(deps: ClaimDeps & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => claimRelease(parseEvent(claimStep.input, event), deps));
}

/** `claim` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createClaimHandler({
    store: wiredReleaseStore(wiring),
    now: () => new Date(),
    logger: functionLogger('claim', wiring.env),
  });

export const handler = lambdaEntry(wire);
