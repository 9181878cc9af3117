import type { Context } from 'aws-lambda';
import { runtimeCatalog } from '#catalog';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { type ReconcilePorts, type ReconcileResult, reconcilePushes } from '../../src/release/index.ts';
import { wiredReconcilePorts } from '../../src/release/wiring.ts';

/** `reconcilePushes` (a schedule): starts the release of every push whose ECR event never came, exactly once. */
export function createReconcilePushesHandler(deps: { ports: (context: Context) => ReconcilePorts } & Logged) {
  const { logger } = deps;
  // The schedule's event says nothing the run needs: the window comes from the stored mark.
  return lambdaHandler(logger, async (_event: unknown, context: Context): Promise<ReconcileResult> => {
    const result = await reconcilePushes(deps.ports(context));
    for (const push of result.started)
      logger.warn('push released by the reconciler: its event never came', { ...push });
    logger.debug('reconciled', { since: result.since, until: result.until, started: result.started.length });
    return result;
  });
}

/** `reconcilePushes` over the catalog and the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createReconcilePushesHandler({
    ports: wiredReconcilePorts(wiring, runtimeCatalog(wiring.env)),
    logger: functionLogger('reconcilePushes', wiring.env),
  });

export const handler = lambdaEntry(wire);
