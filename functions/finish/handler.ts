import { readChangeTime, recordReleaseLedger } from '../../src/insight/index.ts';
import { wiredImageAnnotations, wiredLedgerPorts } from '../../src/insight/wiring.ts';
import { parseEvent } from '../../src/platform/index.ts';
import {
  functionLogger,
  functionMetrics,
  type Logged,
  lambdaEntry,
  lambdaHandler,
  type Wiring,
} from '../../src/platform/wiring.ts';
import { type FinishDeps, finishRelease, finishStep } from '../../src/release/index.ts';
import { releaseMetrics, wiredReleaseStore } from '../../src/release/wiring.ts';

/** `finish`: `{ request, executionId, outcome, reason?, deployment?, error?, analysis? }` → `{ releaseId, outcome, reason? }`. */
export function createFinishHandler(deps: FinishDeps & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => finishRelease(parseEvent(finishStep.input, event), deps));
}

/** `finish` over the AWS `wiring` reaches, its figures published as CloudWatch metrics, its events appended to the ledger. */
export const wire = (wiring: Wiring) => {
  const ledger = wiredLedgerPorts(wiring);
  const annotations = wiredImageAnnotations(wiring);
  return createFinishHandler({
    store: wiredReleaseStore(wiring),
    ledger: (record) => recordReleaseLedger(record, ledger),
    changeTime: (image) => readChangeTime(annotations, image),
    now: () => new Date(),
    observe: releaseMetrics(functionMetrics('finish', wiring.env)),
    logger: functionLogger('finish', wiring.env),
  });
};

export const handler = lambdaEntry(wire);
