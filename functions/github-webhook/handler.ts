import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeCatalog } from '#catalog';
import { createReleaseEvents, type WebhookEndpointPorts, webhookEndpoint } from '../../src/github/wiring.ts';
import { loadConfig } from '../../src/platform/index.ts';
import {
  functionLogger,
  httpLambdaHandler,
  lambdaEntry,
  secretParameter,
  type Wiring,
} from '../../src/platform/wiring.ts';
import { wiredReleaseStore } from '../../src/release/wiring.ts';

/** `githubWebhook`: a GitHub delivery, verified, → 401, 400, 200 or 202 with the release on the project's bus. */
export function createGithubWebhookHandler(ports: WebhookEndpointPorts) {
  return httpLambdaHandler(ports.logger, webhookEndpoint(ports));
}

/** `githubWebhook` over the catalog, the secret and the bus the `wiring` reaches (release records read only). */
export const wire = (wiring: Wiring) => {
  const config = loadConfig(wiring.env, ['githubWebhookSecretParameter', 'eventBusName']);
  return createGithubWebhookHandler({
    catalog: runtimeCatalog(wiring.env),
    releases: wiredReleaseStore(wiring),
    secret: secretParameter(config.githubWebhookSecretParameter, wiring.aws),
    releaseEvents: createReleaseEvents(new EventBridgeClient(wiring.aws), config.eventBusName),
    logger: functionLogger('githubWebhook', wiring.env),
  });
};

export const handler = lambdaEntry(wire);
