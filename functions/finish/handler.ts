import { functionLogger, functionMetrics, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { releaseMetrics } from '../../src/release/adapters/release-metrics.ts';
import { wiredReleaseStore } from '../../src/release/adapters/wiring.ts';
import { type FinishDeps, finishRelease } from '../../src/release/finish.ts';
import { finishStep } from '../../src/release/steps.ts';

/** `finish`: `{ request, executionId, outcome, reason?, deployment?, error?, analysis? }` → `{ releaseId, outcome, reason? }`. */
export function createFinishHandler(deps: FinishDeps & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => finishRelease(parseEvent(finishStep.input, event), deps));
}

/** `finish` over the AWS `wiring` reaches, its figures published as CloudWatch metrics. */
export const wire = (wiring: Wiring) =>
  createFinishHandler({
    store: wiredReleaseStore(wiring),
    now: () => new Date(),
    observe: releaseMetrics(functionMetrics('finish', wiring.env)),
    logger: functionLogger('finish', wiring.env),
  });

export const handler = lambdaEntry(wire);
