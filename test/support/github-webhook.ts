import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../../functions/github-webhook/handler.ts';
import { functionUrlEvent } from '../../sandbox/lambda/function-url-event.ts';
import { signedDeliveryHeaders } from '../../src/cli/github-release.ts';

// GitHub webhook deliveries as the github-webhook function meets them: the
// payload-format-2.0 event Lambda builds for a function URL request, signed
// as GitHub signs (X-Hub-Signature-256 over the raw body).

/** The secret the tests' SSM mock holds. */
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-do-not-log-7c1e';
export const TEST_SECRET_PARAMETER = '/release-automation/test/github/webhook-secret';
export const DELIVERY_ID = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

/** A sample GitHub payload from events/github.webhook/. */
export const gitHubPayload = (variant: string): Record<string, unknown> & { release: Record<string, unknown> } =>
  JSON.parse(readFileSync(`events/github.webhook/${variant}.json`, 'utf8'));

export interface DeliveryOptions {
  /** Default `release`. */
  event?: string;
  deliveryId?: string;
  /** Sign with another secret. */
  secret?: string;
  /** Replace the signature header (undefined: leave it out). */
  signature?: string | undefined;
  /** Default application/json (sent as text); another type arrives base64. */
  contentType?: string;
}

/** The function URL event of a delivery of `body`, signed with the secret unless told otherwise. */
export async function deliveryEvent(body: string, options: DeliveryOptions = {}): Promise<APIGatewayProxyEventV2> {
  const deliveryId = options.deliveryId ?? DELIVERY_ID;
  const event = options.event ?? 'release';
  // Signed as the CLI (and GitHub) signs, unless the test gives the header itself.
  const headers: Record<string, string | undefined> =
    'signature' in options
      ? {
          ...signedDeliveryHeaders('unused', 'unused', deliveryId, event),
          'x-hub-signature-256': options.signature,
        }
      : signedDeliveryHeaders(options.secret ?? TEST_WEBHOOK_SECRET, body, deliveryId, event);
  if (options.contentType) headers['content-type'] = options.contentType;
  return functionUrlEvent({ method: 'POST', url: '/', headers, body }, { urlId: 'abcdefghij', region: 'us-east-1' });
}

/** The github-webhook function wired as the sandbox wires it: its own configuration, nothing set on process.env. */
export const webhookHandler = () =>
  wire({
    env: {
      GITHUB_WEBHOOK_SECRET_PARAMETER: TEST_SECRET_PARAMETER,
      EVENT_BUS_NAME: 'release-automation-test',
      RELEASES_TABLE: 'releases',
      LOCKS_TABLE: 'locks',
    },
    aws: { region: 'us-east-1' },
  }) as unknown as (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The AWS the webhook reads and writes, mocked: `answer()` gives SSM the
 * secret, the bus a successful PutEvents and the releases table no record
 * (until a test records one).
 */
export function mockWebhookAws() {
  const ssm = mockClient(SSMClient);
  const events = mockClient(EventBridgeClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const answer = () => {
    ssm.on(GetParameterCommand, { Name: TEST_SECRET_PARAMETER, WithDecryption: true }).resolves({
      Parameter: { Name: TEST_SECRET_PARAMETER, Type: 'SecureString', Value: TEST_WEBHOOK_SECRET, Version: 1 },
    });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    dynamo.on(GetCommand).resolves({});
  };
  return { ssm, events, dynamo, answer };
}
