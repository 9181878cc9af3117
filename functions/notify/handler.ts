import { type Notifier, parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { announceRefusal, notifyRelease, notifyStep } from '../../src/release/index.ts';
import { wiredNotifier } from '../../src/slack/wiring.ts';

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
