import { setTimeout as sleep } from 'node:timers/promises';
import { lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createHttpProbe } from '../../src/release/adapters/http-probe.ts';
import { runSmokeTest } from '../../src/release/smoke.ts';
import { smokeTestStep } from '../../src/release/steps.ts';

const probe = createHttpProbe();

/** `smoke-test`: `{ checks }` → SmokeResult; throws SmokeTestFailedError listing every failing check. */
export const handler = lambdaHandler(async (event: unknown) =>
  runSmokeTest(parseEvent(smokeTestStep.input, event).checks, { probe, sleep: (ms) => sleep(ms) }),
);
