import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { catalog } from '#catalog';
import { createReleaseEvents } from '../../src/github/adapters/release-events.ts';
import { answerWebhook, type WebhookOutcome } from '../../src/github/events/webhook.ts';
import { gitHubSignatureProblem } from '../../src/github/signature.ts';
import { requireEnv } from '../../src/platform/env.ts';
import { InvalidInputError } from '../../src/platform/errors.ts';
import {
  type HttpEvent,
  type HttpResult,
  httpLambdaHandler,
  rawBody,
  textResult,
} from '../../src/platform/http-lambda.ts';
import { logger } from '../../src/platform/lambda.ts';
import { secretParameter } from '../../src/platform/secret-parameter.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';

// Behind a function URL with no AWS auth: the signature is the only thing
// between the internet and a production release, so nothing is read, parsed
// or logged from a delivery before its signature is verified.
const webhookSecret = secretParameter(requireEnv('GITHUB_WEBHOOK_SECRET_PARAMETER'));
const releaseEvents = createReleaseEvents(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME'));
// Read only: whether the releases a GitHub release asks for are recorded already.
const releases = releaseStoreFromEnvironment();

/** GitHub webhook delivery → 401 unless signed with the secret; a published release not taken before goes on the project's bus. */
export const handler = httpLambdaHandler(async (event: HttpEvent): Promise<HttpResult> => {
  const body = rawBody(event);
  const problem = gitHubSignatureProblem(await webhookSecret(), body, event.headers['x-hub-signature-256']);
  if (problem !== undefined) {
    logger.warn('webhook refused', { reason: problem });
    return textResult(401, 'Unauthorized');
  }
  const eventName = event.headers['x-github-event'];
  const deliveryId = event.headers['x-github-delivery'];
  if (!eventName || !deliveryId) return textResult(400, 'X-GitHub-Event and X-GitHub-Delivery are required');
  let outcome: WebhookOutcome;
  try {
    outcome = await answerWebhook({ event: eventName, deliveryId, body }, { catalog, releases }, new Date());
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    logger.warn('webhook malformed', { deliveryId, event: eventName, reason: error.message });
    return textResult(400, error.message);
  }
  switch (outcome.kind) {
    case 'pong':
      logger.info('ping', { deliveryId });
      return textResult(200, 'pong');
    case 'ignored':
      logger.info('webhook ignored', { deliveryId, event: eventName, reason: outcome.reason });
      return textResult(200, `ignored: ${outcome.reason}`);
    case 'duplicate':
      logger.info('webhook duplicate', { deliveryId, releaseIds: outcome.releaseIds });
      return textResult(200, `duplicate: ${outcome.reason}`);
    case 'release': {
      const eventId = await releaseEvents.publishGitHubRelease(outcome.detail);
      logger.info('GitHub release published', { ...outcome.detail, eventId });
      return textResult(202, `release ${outcome.detail.tag} of ${outcome.detail.repository} accepted`);
    }
  }
});
