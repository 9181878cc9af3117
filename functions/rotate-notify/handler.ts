import { runtimeCatalog } from '#catalog';
import type { Catalog } from '../../src/catalog/index.ts';
import { type RotationEnding, rotationRecorder } from '../../src/insight/index.ts';
import { wiredLedgerPorts } from '../../src/insight/wiring.ts';
import { type Notifier, parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { notifyRotation, rotateNotifyStep } from '../../src/rotation/index.ts';
import { secretFor } from '../../src/rotation/wiring.ts';
import { wiredNotifier } from '../../src/slack/wiring.ts';

/** `rotateNotify`: `{ request, outcome, published?, rolls?, error? }` → `{ delivered, reason? }`; never throws for Slack; appends the rotation to the audit ledger. */
type Ledger = (rotation: RotationEnding) => Promise<unknown>;
export function createRotateNotifyHandler(deps: { catalog: Catalog; notifier: Notifier; ledger?: Ledger } & Logged) {
  const { catalog, notifier, logger } = deps;
  return lambdaHandler(logger, async (event: unknown) => {
    const { request, ended, ...outcome } = parseEvent(rotateNotifyStep.input, event);
    await deps.ledger?.({ ...request, ...outcome.published, outcome: outcome.outcome, rolls: outcome.rolls });
    const notice = { ...request, ...outcome, publishedAnyway: ended?.published === true };
    const result = await notifyRotation(notice, secretFor(catalog, request.parameter).slackChannel, notifier);
    if (!result.delivered) {
      logger.warn('rotation notification not delivered', { parameter: request.parameter, reason: result.reason });
    }
    return result;
  });
}

/** `rotateNotify` over the catalog and Slack as the `wiring` reaches it. */
export const wire = (wiring: Wiring) =>
  createRotateNotifyHandler({
    catalog: runtimeCatalog(wiring.env),
    notifier: wiredNotifier(wiring),
    ledger: rotationRecorder(wiredLedgerPorts(wiring).ledger),
    logger: functionLogger('rotateNotify', wiring.env),
  });

export const handler = lambdaEntry(wire);
