import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import type { Notifier } from '../../src/platform/notifier.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { announceRefusal, notifyRelease } from '../../src/release/notify.ts';
import { notifyStep } from '../../src/release/steps.ts';
import { wiredNotifier } from '../../src/slack/adapters/wiring.ts';

/** `notify`: `{ event, request, deployment?, alreadyLive?, error?, rollbackError?, analysis?, notice? }` or `{ event: 'refused', refused }` → `{ delivered, ts?, channel, reason? }`; never throws for Slack. */
export function createNotifyHandler({ notifier, logger }: { notifier: Notifier } & Logged) {
  return lambdaHandler(logger, async (event: unknown) => {
    const input = parseEvent(notifyStep.input, event);
    const result =
      input.event === 'refused' ? await announceRefusal(input.refused, notifier) : await notifyRelease(input, notifier);
    if (!result.delivered)
      logger.warn('release notification not delivered', { channel: result.channel, reason: result.reason });
    return result;
  });
}

/** `notify` over Slack as the `wiring` reaches it. */
export const wire = (wiring: Wiring) =>
  createNotifyHandler({ notifier: wiredNotifier(wiring), logger: functionLogger('notify', wiring.env) });

export const handler = lambdaEntry(wire);
