import { type Notifier, parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import {
  announceRefusal,
  notifyStep,
  type ReleaseReport,
  type ReleaseStore,
  reportRelease,
} from '../../src/release/index.ts';
import { wiredReleaseStore } from '../../src/release/wiring.ts';
import { wiredNotifier } from '../../src/slack/wiring.ts';

type NotifyDeps = { notifier: Notifier; releases: ReleaseStore } & Logged;

/** `notify`: `{ event, request, deployment?, alreadyLive?, error?, rollbackError?, analysis?, executionId?, notice? }` or `{ event: 'refused', refused }` → `{ delivered, ts?, channel, reason? }`; an analysis is also kept on the release record; never throws for Slack or the record. */
export function createNotifyHandler({ notifier, releases, logger }: NotifyDeps) {
  return lambdaHandler(logger, async (event: unknown) => {
    const input = parseEvent(notifyStep.input, event);
    const { notice, notKept }: ReleaseReport =
      input.event === 'refused'
        ? { notice: await announceRefusal(input.refused, notifier) }
        : await reportRelease(input, { notifier, releases });
    if (!notice.delivered)
      logger.warn('release notification not delivered', { channel: notice.channel, reason: notice.reason });
    if (notKept !== undefined) logger.warn('analysis not kept on the release record', { reason: notKept });
    return notice;
  });
}

/** `notify` over Slack and the release store as the `wiring` reaches them. */
export const wire = (wiring: Wiring) =>
  createNotifyHandler({
    notifier: wiredNotifier(wiring),
    releases: wiredReleaseStore(wiring),
    logger: functionLogger('notify', wiring.env),
  });

export const handler = lambdaEntry(wire);
