import { setTimeout as sleep } from 'node:timers/promises';
import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { runSmokeTest, type SmokeDeps, smokeTestStep } from '../../src/release/index.ts';
import { createHttpProbe } from '../../src/release/wiring.ts';

/** `smoke-test`: `{ checks }` → SmokeResult; throws SmokeTestFailedError listing every failing check. */
export function createSmokeTestHandler(deps: SmokeDeps & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) =>
    runSmokeTest(parseEvent(smokeTestStep.input, event).checks, deps),
  );
}

/** `smokeTest` over HTTP (it reaches the service, not AWS). */
export const wire = (wiring: Wiring) =>
  createSmokeTestHandler({
    probe: createHttpProbe(),
    sleep: (ms) => sleep(ms),
    logger: functionLogger('smokeTest', wiring.env),
  });

export const handler = lambdaEntry(wire);
