import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { createHttpProbe } from '../../src/adapters/http-probe.ts';
import { smokeCheckSchema } from '../../src/catalog/schema.ts';
import { runSmokeTest } from '../../src/domain/smoke.ts';
import { lambdaHandler } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const inputSchema = z.object({ checks: z.array(smokeCheckSchema) });

const probe = createHttpProbe();

/** `smoke-test`: `{ checks }` → SmokeResult; throws SmokeTestFailedError listing every failing check. */
export const handler = lambdaHandler(async (event: unknown) =>
  runSmokeTest(parseEvent(inputSchema, event).checks, { probe, sleep: (ms) => sleep(ms) }),
);
