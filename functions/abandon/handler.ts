import { catalog } from '#catalog';
import { abandonReleases } from '../../src/domain/abandon.ts';
import { parseStoppedExecution } from '../../src/events/execution-status.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { releaseStoreFromEnvironment } from '../../src/runtime/release-store.ts';
import { slackNotifierFromEnvironment } from '../../src/runtime/slack-notifier.ts';

const store = releaseStoreFromEnvironment();
const notifier = slackNotifierFromEnvironment();

/**
 * `abandon`: a release execution stopped without finishing (EventBridge
 * "Step Functions Execution Status Change", ABORTED/TIMED_OUT/FAILED) → its
 * running releases end ABANDONED, their targets are unlocked, and a release that
 * held its target raises the manual-action alert.
 */
export const handler = lambdaHandler(async (event: unknown) => {
  const stopped = parseStoppedExecution(event);
  const result = await abandonReleases(stopped, { catalog, store, notifier, now: () => new Date() });
  for (const release of result.abandoned) {
    const about = { executionArn: stopped.executionArn, status: stopped.status, ...release };
    if (release.heldTarget && !release.alerted) logger.error('abandoned release: the alert was not delivered', about);
    else if (release.heldTarget) logger.error('abandoned release: it held its target, alert sent', about);
    else logger.warn('abandoned release: it was waiting, nothing was deployed', about);
  }
  return result;
});
