import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import type { Notifier } from '../../src/platform/notifier.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredReleaseStore } from '../../src/release/adapters/wiring.ts';
import { announceRefusal } from '../../src/release/notify.ts';
import type { ReleaseStore } from '../../src/release/ports/release-store.ts';
import { type ReleaseReport, reportRelease } from '../../src/release/report-release.ts';
import { notifyStep } from '../../src/release/steps.ts';
import { wiredNotifier } from '../../src/slack/adapters/wiring.ts';

/** `notify`: `{ event, request, deployment?, alreadyLive?, error?, rollbackError?, analysis?, executionId?, notice? }` or `{ event: 'refused', refused }` → `{ delivered, ts?, channel, reason? }`; an analysis is also kept on the release record; never throws for Slack or the record. */
export function createNotifyHandler({
  notifier,
  releases,
  logger,
}: { notifier: Notifier; releases: ReleaseStore } & Logged) {
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
    logger: functionLogger('notify'),
  });

export const handler = lambdaEntry(wire);
