import { runtimeCatalog } from '#catalog';
import { recordReleaseLedger } from '../../src/insight/index.ts';
import { wiredLedgerPorts } from '../../src/insight/wiring.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { type AbandonDeps, abandonReleases, parseStoppedExecution } from '../../src/release/index.ts';
import { wiredReleaseStore } from '../../src/release/wiring.ts';
import { wiredApprovalWithdrawal, wiredNotifier } from '../../src/slack/wiring.ts';

/** `abandon`: a stopped release execution's running releases end ABANDONED, unlocked, alerted if they held a target. */
export function createAbandonHandler(deps: AbandonDeps & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown) => {
    const stopped = parseStoppedExecution(event);
    const result = await abandonReleases(stopped, deps);
    for (const release of result.abandoned) {
      const about = { executionArn: stopped.executionArn, status: stopped.status, ...release };
      if (release.heldTarget && !release.alerted) logger.error('abandoned release: the alert was not delivered', about);
      else if (release.heldTarget) logger.error('abandoned release: it held its target, alert sent', about);
      else logger.warn('abandoned release: it was waiting, nothing was deployed', about);
    }
    return result;
  });
}

/** `abandon` over the catalog and the AWS `wiring` reaches; each abandoned release's events go to the ledger. */
export const wire = (wiring: Wiring, ledger = wiredLedgerPorts(wiring)) =>
  createAbandonHandler({
    catalog: runtimeCatalog(wiring.env),
    store: wiredReleaseStore(wiring),
    notifier: wiredNotifier(wiring),
    now: () => new Date(),
    withdrawApproval: wiredApprovalWithdrawal(wiring),
    ledger: (record) => recordReleaseLedger(record, ledger),
    logger: functionLogger('abandon', wiring.env),
  });

export const handler = lambdaEntry(wire);
