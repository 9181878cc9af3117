import { Logger } from '@aws-lambda-powertools/logger';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { fakeLambdaContext, useFunctionEnvironment } from '../../support/fake-lambda-context.ts';
import {
  DELIVERY_ID,
  deliveryEvent,
  gitHubPayload,
  mockWebhookAws,
  TEST_WEBHOOK_SECRET,
  webhookHandler,
} from '../../support/github-webhook.ts';

useFunctionEnvironment();
const { ssm: ssmMock, events: eventsMock, dynamo: dynamoMock, answer } = mockWebhookAws();
// The release records the release state machine has written, by release id.
const recorded = new Map<string, Record<string, unknown>>();
/** What claim records for the release of web/production the sample GitHub release (id 186223481) asks for. */
const recordOfSample = (executionId: string) => ({
  releaseId: 'web-production-github-186223481',
  executionId,
  target: 'web#production',
  service: 'web',
  environment: 'production',
  trigger: { source: 'github-release', eventId: 'github-186223481', at: '2026-12-01T10:00:03Z' },
  repository: 'demo/web',
  tag: 'v2',
  digest: `sha256:${'2'.repeat(64)}`,
  image: `demo/web@sha256:${'2'.repeat(64)}`,
  startedAt: '2026-12-01T10:00:05.000Z',
  outcome: 'RUNNING',
});

const handler = webhookHandler();
// Everything the function logged and answered, to check that the secret is in none of it.
const seen: unknown[] = [];

beforeEach(() => {
  answer();
  recorded.clear();
  dynamoMock.on(GetCommand).callsFake(({ TableName, Key }: { TableName: string; Key: { releaseId?: string } }) => ({
    Item: TableName === 'releases' ? recorded.get(Key.releaseId ?? '') : undefined,
  }));
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      seen.push(args);
    });
  }
});

afterEach(() => {
  eventsMock.reset();
  dynamoMock.reset();
  jest.restoreAllMocks();
});

afterAll(() => {
  // Over every test of this file: no log line and no answer holds the secret.
  expect(seen.length).toBeGreaterThan(0);
  expect(JSON.stringify(seen)).not.toContain(TEST_WEBHOOK_SECRET);
});

const invoke = async (event: APIGatewayProxyEventV2) => {
  const result = await handler(event, fakeLambdaContext('githubWebhook'));
  seen.push(result);
  return result;
};
// Published a minute ago: GitHub sends a release as it is published (older ones are redeliveries, at most 3 days old).
const PUBLISHED_AT = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const publishedAt = (at: string): ReturnType<typeof gitHubPayload> => {
  const payload = gitHubPayload('release-published');
  return { ...payload, release: { ...payload.release, published_at: at } };
};
const published = () => publishedAt(PUBLISHED_AT);
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString();
const bodyOf = (payload: unknown) => JSON.stringify(payload);
const putEvents = () => eventsMock.commandCalls(PutEventsCommand);

describe('github-webhook', () => {
  it('puts a signed, published release on the project bus with the trimmed detail, and answers 202', async () => {
    const result = await invoke(await deliveryEvent(bodyOf(published())));

    expect(result.statusCode).toBe(202);
    expect(putEvents()).toHaveLength(1);
    const [entry] = putEvents()[0]?.args[0].input.Entries ?? [];
    expect(entry).toEqual({
      EventBusName: 'release-automation-test',
      Source: 'release-automation.github',
      DetailType: 'GitHub Release Published',
      Detail: expect.any(String),
    });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual({
      repository: 'example/web',
      tag: 'v2',
      commit: '9f2c3a1e0b8d4c6f7a5e3d2c1b0a9f8e7d6c5b4a',
      author: 'octocat',
      url: 'https://github.com/example/web/releases/tag/v2',
      gitHubReleaseId: 186223481,
      deliveryId: DELIVERY_ID,
      prerelease: false,
      publishedAt: PUBLISHED_AT,
    });
  });

  it('takes a redelivery of a release published 2 days ago (GitHub redelivers for 3 days)', async () => {
    expect((await invoke(await deliveryEvent(bodyOf(publishedAt(daysAgo(2)))))).statusCode).toBe(202);
    expect(putEvents()).toHaveLength(1);
  });

  it('ignores a signed release published longer ago than GitHub redelivers: a replay, even with a new delivery id', async () => {
    const result = await invoke(
      await deliveryEvent(bodyOf(publishedAt(daysAgo(4))), { deliveryId: 'f0e1d2c3-0000-4000-8000-000000000001' }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('longer ago than GitHub redelivers (3 days): a replay');
    expect(putEvents()).toHaveLength(0);
  });

  describe('one GitHub release, one release: the signed body decides, not the unsigned X-GitHub-Delivery', () => {
    it('answers a signed body sent again under delivery ids replay-1, replay-1, replay-2, replay-3 once with 202, then 200 duplicate', async () => {
      const body = bodyOf(published());
      // The release state machine records the release the first delivery put on the bus.
      eventsMock.on(PutEventsCommand).callsFake(() => {
        recorded.set('web-production-github-186223481', recordOfSample('arn:aws:states:::execution:release:first'));
        return { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
      });
      const answers = [];
      for (const deliveryId of ['replay-1', 'replay-1', 'replay-2', 'replay-3']) {
        const { statusCode, body: text } = await invoke(await deliveryEvent(body, { deliveryId }));
        answers.push(`${statusCode} ${text}`);
      }
      expect(answers[0]).toBe('202 release v2 of example/web accepted');
      expect(answers.slice(1)).toEqual(
        Array(3).fill(
          '200 duplicate: release v2 of example/web (GitHub release 186223481) was taken already, as web-production-github-186223481; nothing new starts',
        ),
      );
      expect(putEvents()).toHaveLength(1);
      expect(JSON.parse(putEvents()[0]?.args[0].input.Entries?.[0]?.Detail ?? '')).toMatchObject({
        gitHubReleaseId: 186223481,
        deliveryId: 'replay-1',
      });
    });

    it('puts it on the bus again while its release has no record (refused for want of an image): a redelivery then releases', async () => {
      const body = bodyOf(published());
      expect((await invoke(await deliveryEvent(body, { deliveryId: 'before-push' }))).statusCode).toBe(202);
      expect((await invoke(await deliveryEvent(body, { deliveryId: 'after-push' }))).statusCode).toBe(202);
      expect(putEvents()).toHaveLength(2);
    });

    it('takes another GitHub release of the repository as another release', async () => {
      recorded.set('web-production-github-186223481', recordOfSample('arn:aws:states:::execution:release:first'));
      const payload = published();
      const other = { ...payload, release: { ...payload.release, id: 186223482, tag_name: 'v3' } };
      expect((await invoke(await deliveryEvent(bodyOf(other), { deliveryId: 'other-1' }))).statusCode).toBe(202);
      expect(putEvents()).toHaveLength(1);
    });
  });

  it('verifies a base64 body (a content type Lambda does not pass as text) over its raw bytes', async () => {
    const event = await deliveryEvent(bodyOf(published()), { contentType: 'application/octet-stream' });
    expect(event.isBase64Encoded).toBe(true);

    expect((await invoke(event)).statusCode).toBe(202);
    expect(putEvents()).toHaveLength(1);
  });

  it('reads the secret from SSM once per cold start', async () => {
    await invoke(await deliveryEvent(bodyOf(published())));
    await invoke(await deliveryEvent(bodyOf(published())));
    // Earlier tests already read it: this cold start has read it once in all.
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  describe('refuses with 401, putting nothing on the bus', () => {
    const body = bodyOf(published());
    const cases: [string, () => Promise<APIGatewayProxyEventV2>][] = [
      ['a signature made with another secret', () => deliveryEvent(body, { secret: 'not-the-secret' })],
      [
        'a changed body under the original signature',
        async () => {
          const signed = await deliveryEvent(body);
          return { ...signed, body: body.replace('"v2"', '"v9"') };
        },
      ],
      ['no signature header', () => deliveryEvent(body, { signature: undefined })],
      ['an empty signature header', () => deliveryEvent(body, { signature: '' })],
      ['a sha1 signature (X-Hub-Signature)', () => deliveryEvent(body, { signature: `sha1=${'a'.repeat(40)}` })],
      ['a signature of the wrong length', () => deliveryEvent(body, { signature: `sha256=${'a'.repeat(63)}` })],
      ['a signature in upper case hex', () => deliveryEvent(body, { signature: `sha256=${'A'.repeat(64)}` })],
      [
        'no body',
        async () => {
          const { body: _body, ...rest } = await deliveryEvent(body);
          return rest;
        },
      ],
    ];
    it.each(cases)('%s', async (_name, make) => {
      const result = await invoke(await make());
      expect(result).toMatchObject({ statusCode: 401, body: 'Unauthorized' });
      expect(putEvents()).toHaveLength(0);
    });
  });

  it('answers a ping with 200', async () => {
    const result = await invoke(await deliveryEvent(bodyOf(gitHubPayload('ping')), { event: 'ping' }));
    expect(result).toMatchObject({ statusCode: 200, body: 'pong' });
    expect(putEvents()).toHaveLength(0);
  });

  describe('answers 200 and ignores, putting nothing on the bus', () => {
    const payload = published();
    const cases: [string, string, Record<string, unknown>][] = [
      ['another event', 'push', { ref: 'refs/heads/main' }],
      ['a release created', 'release', { ...payload, action: 'created' }],
      ['a release edited', 'release', { ...payload, action: 'edited' }],
      ['a draft', 'release', { ...payload, release: { ...payload.release, draft: true } }],
      // config/catalog.yml: web/production takes no pre-releases.
      [
        'a pre-release no environment takes',
        'release',
        { ...payload, release: { ...payload.release, prerelease: true } },
      ],
      [
        'a repository the catalog takes no releases from',
        'release',
        { ...payload, repository: { full_name: 'someone/else' } },
      ],
    ];
    it.each(cases)('%s', async (_name, event, body) => {
      const result = await invoke(await deliveryEvent(bodyOf(body), { event }));
      expect(result.statusCode).toBe(200);
      expect(result.body).toMatch(/^ignored: /);
      expect(putEvents()).toHaveLength(0);
    });
  });

  describe('answers 400 to a signed but malformed delivery, putting nothing on the bus', () => {
    const payload = published();
    const cases: [string, string, { event?: string; deliveryId?: string }][] = [
      ['a body that is not JSON', '{"action": "published",', {}],
      ['a release without its release', bodyOf({ action: 'published', repository: payload.repository }), {}],
      ['a release whose tag is not a string', bodyOf({ ...payload, release: { ...payload.release, tag_name: 2 } }), {}],
      ['a release without its id', bodyOf({ ...payload, release: { ...payload.release, id: undefined } }), {}],
      ['a release whose id is no whole number', bodyOf({ ...payload, release: { ...payload.release, id: '7' } }), {}],
      [
        'a published release without a publication time',
        bodyOf({ ...payload, release: { ...payload.release, published_at: null } }),
        {},
      ],
      ['a delivery id that cannot name a release', bodyOf(payload), { deliveryId: 'a b' }],
      ['no X-GitHub-Event', bodyOf(payload), { event: '' }],
    ];
    it.each(cases)('%s', async (_name, body, options) => {
      const result = await invoke(await deliveryEvent(body, options));
      expect(result.statusCode).toBe(400);
      expect(putEvents()).toHaveLength(0);
    });
  });

  it('answers 500 without saying why when EventBridge does not take the event (GitHub shows the delivery failed)', async () => {
    eventsMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'internal' }],
    });
    const result = await invoke(await deliveryEvent(bodyOf(published())));
    expect(result.statusCode).toBe(500);
    expect(result.body).toBe('Internal error');
  });
});
