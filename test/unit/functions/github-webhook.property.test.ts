import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { sign } from '@octokit/webhooks-methods';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { fakeLambdaContext, useFunctionEnvironment } from '../../support/fake-lambda-context.ts';
import {
  deliveryEvent,
  gitHubPayload,
  mockWebhookAws,
  TEST_WEBHOOK_SECRET,
  webhookHandler,
} from '../../support/github-webhook.ts';

// The webhook faces the internet: thousands of generated forged, replayed and
// malformed deliveries, and not one may put an event on the bus. Only a
// delivery signed with the secret is even read; a signed one that is not a
// published release is answered and ignored, or refused as malformed.

useFunctionEnvironment();
const { events: eventsMock, dynamo: dynamoMock, answer } = mockWebhookAws();
// No release is recorded unless a test records one.
answer();
const handler = webhookHandler();

const valid = JSON.stringify(gitHubPayload('release-published'));
const invoke = (event: APIGatewayProxyEventV2) => handler(event, fakeLambdaContext('githubWebhook'));

// Bodies: the genuine one, near misses of it, and junk.
const body = fc.oneof(
  fc.constant(valid),
  fc
    .nat({ max: valid.length - 1 })
    .chain((at) =>
      fc.string({ minLength: 1, maxLength: 3 }).map((text) => `${valid.slice(0, at)}${text}${valid.slice(at + 1)}`),
    ),
  fc.json(),
  fc.string({ maxLength: 200 }),
);
// What a signature can be made over (an HMAC of nothing is refused before it is made).
const signable = body.filter((text) => text !== '');
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const contentType = fc.constantFrom('application/json', 'application/octet-stream', 'text/plain');
const otherSecret = fc.string({ minLength: 1, maxLength: 40 }).filter((secret) => secret !== TEST_WEBHOOK_SECRET);

/** A delivery that no one holding only public knowledge could sign: each must be refused with 401. */
const forged = fc.oneof(
  // A made-up signature.
  fc.record({ body, contentType, signature: hex64.map((hex) => `sha256=${hex}`) }),
  // Signed with a guessed secret.
  fc
    .record({ body: signable, contentType, secret: otherSecret })
    .map(({ body, contentType, secret }) => ({ body, contentType, signWith: secret })),
  // A genuine signature, replayed over another body.
  fc
    .record({ signed: signable, body, contentType })
    .filter(({ signed, body }) => signed !== body)
    .map(({ signed, body, contentType }) => ({ body, contentType, replayOf: signed })),
  // A malformed header, or none.
  fc.record({
    body,
    contentType,
    signature: fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 80 }),
      hex64.map((hex) => hex),
      hex64.map((hex) => `sha256=${hex.toUpperCase()}`),
      hex64.map((hex) => `sha1=${hex.slice(0, 40)}`),
      hex64.map((hex) => ` sha256=${hex}`),
    ),
  }),
);

type Forged = {
  body: string;
  contentType: string;
  signature?: string | undefined;
  signWith?: string;
  replayOf?: string;
};

async function forgedEvent(request: Forged): Promise<APIGatewayProxyEventV2> {
  if (request.signWith !== undefined) {
    return deliveryEvent(request.body, { secret: request.signWith, contentType: request.contentType });
  }
  if (request.replayOf !== undefined) {
    const signature = await sign(TEST_WEBHOOK_SECRET, request.replayOf);
    return deliveryEvent(request.body, { signature, contentType: request.contentType });
  }
  return deliveryEvent(request.body, { signature: request.signature, contentType: request.contentType });
}

describe('github-webhook under forged, replayed and malformed deliveries', () => {
  it('refuses every delivery not signed with the secret with 401, putting nothing on the bus', async () => {
    await fc.assert(
      fc.asyncProperty(forged, async (request) => {
        const event = await forgedEvent(request as Forged);
        const result = await invoke(event);
        expect(result.statusCode).toBe(401);
        expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('never puts anything on the bus for a signed delivery that is not a published release it takes', async () => {
    const payload = gitHubPayload('release-published');
    const notTaken = fc.oneof(
      fc.json(),
      fc.string({ maxLength: 200 }),
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((action) => action !== 'published')
        .map((action) => ({ ...payload, action })),
      fc.constant({ ...payload, release: { ...payload.release, draft: true } }),
      // config/catalog.yml takes no pre-releases from example/web.
      fc.constant({ ...payload, release: { ...payload.release, prerelease: true } }),
      fc
        .stringMatching(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/)
        .filter((name) => name.toLowerCase() !== 'example/web')
        .map((full_name) => ({ ...payload, repository: { full_name } })),
      // A field the release needs, taken out or of the wrong type.
      fc
        .constantFrom('id', 'tag_name', 'target_commitish', 'html_url', 'draft', 'prerelease', 'published_at', 'author')
        .chain((field) =>
          fc.oneof(fc.constant(undefined), fc.integer(), fc.constant(null)).map((value) => ({
            ...payload,
            release: { ...payload.release, [field]: value },
          })),
        ),
    );
    const signedJunk = fc.record({
      body: notTaken
        .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
        .filter((text) => text !== ''),
      event: fc.oneof(
        fc.constantFrom('release', 'ping', 'push', 'installation'),
        fc.string({ minLength: 1, maxLength: 20 }),
      ),
      contentType,
    });
    await fc.assert(
      fc.asyncProperty(signedJunk, async ({ body, event, contentType }) => {
        const result = await invoke(await deliveryEvent(body, { event, contentType }));
        expect([200, 400]).toContain(result.statusCode);
        expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('makes at most one release of a signed body, whatever delivery ids it is sent under, in whatever order', async () => {
    const payload = gitHubPayload('release-published');
    const deliveryId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/);
    const sends = fc.record({
      id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      deliveries: fc.array(fc.record({ deliveryId, contentType }), { minLength: 1, maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(sends, async ({ id, deliveries }) => {
        eventsMock.resetHistory();
        // Standing in for the release state machine: what is put on the bus gets its record.
        const recorded = new Set<string>();
        eventsMock.on(PutEventsCommand).callsFake(({ Entries }: { Entries: { Detail: string }[] }) => {
          const detail = JSON.parse(Entries[0]?.Detail ?? '{}') as { gitHubReleaseId?: number };
          recorded.add(`web-production-github-${detail.gitHubReleaseId}`);
          return { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
        });
        dynamoMock.on(GetCommand).callsFake(({ Key }: { Key: { releaseId: string } }) => ({
          Item: recorded.has(Key.releaseId) ? recordOf(Key.releaseId) : undefined,
        }));
        const published = new Date(Date.now() - 60_000).toISOString();
        const body = JSON.stringify({ ...payload, release: { ...payload.release, id, published_at: published } });
        const statuses: (number | undefined)[] = [];
        for (const delivery of deliveries) {
          statuses.push((await invoke(await deliveryEvent(body, delivery))).statusCode);
        }
        expect(statuses).toEqual([202, ...Array(deliveries.length - 1).fill(200)]);
        expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
    dynamoMock.on(GetCommand).resolves({});
  });
});

/** A release record as the release state machine writes it. */
function recordOf(releaseId: string): Record<string, unknown> {
  const digest = `sha256:${'2'.repeat(64)}`;
  return {
    releaseId,
    executionId: 'arn:aws:states:us-east-1:123456789012:execution:release:first',
    target: 'web#production',
    service: 'web',
    environment: 'production',
    trigger: {
      source: 'github-release',
      eventId: releaseId.slice('web-production-'.length),
      at: '2026-12-01T10:00:03Z',
    },
    repository: 'demo/web',
    tag: 'v2',
    digest,
    image: `demo/web@${digest}`,
    startedAt: '2026-12-01T10:00:05.000Z',
    outcome: 'RUNNING',
  };
}
