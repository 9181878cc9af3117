import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { type ClaimDeps, claimRelease, claimStep } from '../../src/release/index.ts';
import { wiredReleaseStore } from '../../src/release/wiring.ts';

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
