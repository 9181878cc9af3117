import { runtimeCatalog } from '#catalog';
import type { Catalog } from '../../src/catalog/schema.ts';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import type { Notifier } from '../../src/platform/notifier.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { secretFor } from '../../src/rotation/adapters/wiring.ts';
import { notifyRotation } from '../../src/rotation/messages.ts';
import { rotateNotifyStep } from '../../src/rotation/steps.ts';
import { wiredNotifier } from '../../src/slack/adapters/wiring.ts';

/** `rotateNotify`: `{ request, outcome, published?, rolls?, error? }` → `{ delivered, reason? }`; never throws for Slack. */
export function createRotateNotifyHandler({
  catalog,
  notifier,
  logger,
}: { catalog: Catalog; notifier: Notifier } & Logged) {
  return lambdaHandler(logger, async (event: unknown) => {
    const { request, ended, ...outcome } = parseEvent(rotateNotifyStep.input, event);
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
    logger: functionLogger('rotateNotify', wiring.env),
  });

export const handler = lambdaEntry(wire);
