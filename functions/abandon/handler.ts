import { catalog } from '#catalog';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { abandonReleases } from '../../src/release/abandon.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import { parseStoppedExecution } from '../../src/release/events/execution-status.ts';
import { slackChatFromEnvironment } from '../../src/slack/adapters/chat-from-env.ts';

const store = releaseStoreFromEnvironment();
const notifier = slackChatFromEnvironment();

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
