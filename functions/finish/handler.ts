import { recordReleaseLedger } from '../../src/insight/index.ts';
import { wiredChangeTime, wiredLedgerPorts } from '../../src/insight/wiring.ts';
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
import { releaseAlarmMetrics, releaseMetrics, wiredAlarmMetrics, wiredReleaseStore } from '../../src/release/wiring.ts';

/** `finish`: `{ request, executionId, outcome, reason?, deployment?, error?, analysis? }` → `{ releaseId, outcome, reason? }`. */
export function createFinishHandler(deps: FinishDeps & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => finishRelease(parseEvent(finishStep.input, event), deps));
}

/** `finish` over the AWS `wiring` reaches: figures as CloudWatch metrics (EMF; the alarms' by PutMetricData), events to the ledger. */
export const wire = (wiring: Wiring) => {
  const logger = functionLogger('finish', wiring.env);
  const figures = releaseMetrics(functionMetrics('finish', wiring.env));
  const alarms = releaseAlarmMetrics(wiredAlarmMetrics(wiring), logger);
  const ledger = wiredLedgerPorts(wiring);
  return createFinishHandler({
    store: wiredReleaseStore(wiring),
    ledger: (record) => recordReleaseLedger(record, ledger),
    changeTime: wiredChangeTime(wiring),
    now: () => new Date(),
    observe: async (ended) => {
      figures(ended);
      await alarms(ended);
    },
    logger,
  });
};

export const handler = lambdaEntry(wire);
