import type { Logger } from '@aws-lambda-powertools/logger';
import { InvalidInputError } from '../../platform/errors.ts';
import { type HttpEvent, type HttpResult, rawBody, textResult } from '../../platform/http-lambda.ts';
import { answerWebhook, type WebhookOutcome, type WebhookPorts } from '../events/webhook.ts';
import { gitHubSignatureProblem } from '../signature.ts';
import type { ReleaseEvents } from './release-events.ts';

/** What the webhook endpoint uses besides the catalog and release records. */
export interface WebhookEndpointPorts extends WebhookPorts {
  /** The webhook secret, read when first needed. */
  secret: () => Promise<string>;
  releaseEvents: ReleaseEvents;
  logger: Logger;
}

/**
 * GitHub webhook delivery → 401 unless signed with the secret; a published
 * release not taken before goes on the project's bus. Behind a function URL
 * with no AWS auth, the signature is the only thing between the internet and a
 * production release, so nothing is read, parsed or logged from a delivery
 * before its signature is verified.
 */
export function webhookEndpoint(ports: WebhookEndpointPorts): (event: HttpEvent) => Promise<HttpResult> {
  const { logger } = ports;
  return async (event) => {
    const body = rawBody(event);
    const problem = await gitHubSignatureProblem(await ports.secret(), body, event.headers['x-hub-signature-256']);
    if (problem !== undefined) {
      logger.warn('webhook refused', { reason: problem });
      return textResult(401, 'Unauthorized');
    }
    const eventName = event.headers['x-github-event'];
    const deliveryId = event.headers['x-github-delivery'];
    if (!eventName || !deliveryId) return textResult(400, 'X-GitHub-Event and X-GitHub-Delivery are required');
    let outcome: WebhookOutcome;
    try {
      outcome = await answerWebhook({ event: eventName, deliveryId, body }, ports, new Date());
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
        const eventId = await ports.releaseEvents.publishGitHubRelease(outcome.detail);
        logger.info('GitHub release published', { ...outcome.detail, eventId });
        return textResult(202, `release ${outcome.detail.tag} of ${outcome.detail.repository} accepted`);
      }
    }
  };
}
