import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { smokeCheckSchema } from '../../src/catalog/schema.ts';
import { lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createHttpProbe } from '../../src/release/adapters/http-probe.ts';
import { runSmokeTest } from '../../src/release/smoke.ts';

const inputSchema = z.object({ checks: z.array(smokeCheckSchema) });

const probe = createHttpProbe();

/** `smoke-test`: `{ checks }` → SmokeResult; throws SmokeTestFailedError listing every failing check. */
export const handler = lambdaHandler(async (event: unknown) =>
  runSmokeTest(parseEvent(inputSchema, event).checks, { probe, sleep: (ms) => sleep(ms) }),
);
