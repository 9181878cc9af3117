import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { runtimeCatalog } from '#catalog';
import { loadConfig } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, secretParameter, type Wiring } from '../../src/platform/wiring.ts';
import type { ChatCommandPorts } from '../../src/slack/index.ts';
import {
  commandEndpoint,
  logRequestError,
  type SlackEvent,
  slackRequest,
  wiredCommandPorts,
} from '../../src/slack/wiring.ts';

type SlackCommandDeps = { portsFor: (context: Context) => ChatCommandPorts; signingSecret: () => Promise<string> };

/** `slackCommand`: Slack's slash commands (`/release …`) and button clicks, verified, answered within Slack's 3 s. */
export function createSlackCommandHandler({ portsFor, signingSecret, logger }: SlackCommandDeps & Logged) {
  return middy<SlackEvent, APIGatewayProxyResultV2, Error, Context>(commandEndpoint(portsFor, logger))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(slackRequest({ secret: signingSecret }))
    .use(httpErrorHandler({ logger: logRequestError(logger), fallbackMessage: 'internal error' }));
}

/** `slackCommand` over the catalog, Slack and the AWS `wiring` reaches. */
export const wire = (wiring: Wiring, logger = functionLogger('slackCommand', wiring.env)) => {
  const { slackSigningSecretParameter } = loadConfig(wiring.env, ['slackSigningSecretParameter']);
  return createSlackCommandHandler({
    portsFor: wiredCommandPorts(wiring, runtimeCatalog(wiring.env), (message) => logger.warn(message)),
    signingSecret: secretParameter(slackSigningSecretParameter, wiring.aws),
    logger,
  });
};

export const handler = lambdaEntry(wire);
