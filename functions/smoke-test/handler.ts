import { setTimeout as sleep } from 'node:timers/promises';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { createHttpProbe } from '../../src/release/adapters/http-probe.ts';
import { runSmokeTest, type SmokeDeps } from '../../src/release/smoke.ts';
import { smokeTestStep } from '../../src/release/steps.ts';

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
