import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { type SettleReport, settleWaits, type WaitPorts } from '../../src/release/index.ts';
import { wiredWaitPorts } from '../../src/release/wiring.ts';

/**
 * `reconcileWaits` (a schedule): looks at every stored wait's deployment, answers those with something
 * to say and heartbeats the others, so no release depends on an ECS event arriving.
 */
export function createReconcileWaitsHandler(deps: WaitPorts & Logged) {
  const { logger } = deps;
  // The schedule's event says nothing the run needs.
  return lambdaHandler(logger, async (): Promise<SettleReport> => {
    const report = await settleWaits(await deps.waits.all(), deps, { heartbeat: true });
    // A deployment over with no event answering it (lost or late), or a release aborted meanwhile.
    if (report.answered > 0) logger.warn('waits answered by the reconcile, not by an ECS event', { ...report });
    if (report.failed > 0) logger.warn('some waits could not be looked at; the next run will', { ...report });
    logger.debug('reconciled waits', { ...report });
    return report;
  });
}

/** `reconcileWaits` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createReconcileWaitsHandler({ ...wiredWaitPorts(wiring), logger: functionLogger('reconcileWaits', wiring.env) });

export const handler = lambdaEntry(wire);
