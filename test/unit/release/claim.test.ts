import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_ANALYSIS } from '../../../src/canary/policy.ts';
import { LockWaitTimeoutError, TransientError } from '../../../src/platform/errors.ts';
import { createDynamoReleaseStore } from '../../../src/release/adapters/release-store.ts';
import { claimRelease, lockLeaseSeconds } from '../../../src/release/claim.ts';
import type { ReleaseStore } from '../../../src/release/ports/release-store.ts';
import { releaseRecordFor } from '../../../src/release/record.ts';
import type { ReleaseRequest } from '../../../src/release/release.ts';
import { releaseRequest } from '../../support/release-request.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// claim against a real (local) DynamoDB: the decisions live in conditional
// writes, so only a real one shows they hold.

let tables: ReleaseTables;
let store: ReleaseStore;
let clock: Date;

beforeAll(async () => {
  tables = await startReleaseTables('claim');
  store = tables.store;
}, 60_000);
afterAll(() => tables.stop());
beforeEach(() => {
  clock = new Date('2026-11-21T10:30:00Z');
});

const claim = (request: ReleaseRequest, executionId: string) =>
  claimRelease({ request, executionId }, { store, now: () => clock });
const finishHolding = (request: ReleaseRequest, executionId: string) =>
  store.releaseLock(`web#${request.target.environment}`, request.releaseId, executionId);
const record = async (releaseId: string) =>
  (await tables.documents.send(new GetCommand({ TableName: tables.environment.RELEASES_TABLE, Key: { releaseId } })))
    .Item;
const lock = (environment: string) => store.readLock(`web#${environment}`);
// v2 released first on the target, and v3 pushed after it (while v2 may still hold the target).
const firstAndNext = (environment: string, next: { lockWaitDeadline?: string } = {}) =>
  [
    releaseRequest({ environment }),
    releaseRequest({ environment, tag: 'v3', at: '2026-11-21T10:20:00Z', ...next }),
  ] as const;

describe('claim', () => {
  it('lets the first push of a target release and records it as RUNNING', async () => {
    const request = releaseRequest({ environment: 'first' });

    const result = await claim(request, 'exec-1');

    expect(result).toMatchObject({ status: 'ACQUIRED' });
    expect(await record(request.releaseId)).toMatchObject({
      releaseId: request.releaseId,
      executionId: 'exec-1',
      target: 'web#first',
      tag: 'v2',
      outcome: 'RUNNING',
      startedAt: '2026-11-21T10:30:00.000Z',
    });
    expect((await lock('first'))?.holder).toMatchObject({ releaseId: request.releaseId, executionId: 'exec-1' });
  });

  it('makes one release of the same event delivered twice', async () => {
    const request = releaseRequest({ environment: 'twice' });
    await claim(request, 'exec-1');

    const second = await claim(request, 'exec-2');

    expect(second.status).toBe('DUPLICATE');
    expect(second.reason).toContain('exec-1');
    expect(await record(request.releaseId)).toMatchObject({ executionId: 'exec-1', outcome: 'RUNNING' });
    expect((await lock('twice'))?.holder?.executionId).toBe('exec-1');
  });

  it('answers a retried claim of the release that holds the target with ACQUIRED again', async () => {
    const request = releaseRequest({ environment: 'retried' });
    await claim(request, 'exec-1');

    expect((await claim(request, 'exec-1')).status).toBe('ACQUIRED');
  });

  it('makes a push wait while another release of the target runs, saying which one', async () => {
    const [running, waiting] = firstAndNext('busy');
    await claim(running, 'exec-1');

    const result = await claim(waiting, 'exec-2');

    expect(result).toMatchObject({ status: 'BUSY', heldBy: running.releaseId });
    expect(result.reason).toContain('v2');
    expect(await record(waiting.releaseId)).toMatchObject({ outcome: 'RUNNING', executionId: 'exec-2' });
  });

  it('lets only the newest waiting push proceed when the running release ends', async () => {
    const [running, older] = firstAndNext('newest');
    const newer = releaseRequest({ environment: 'newest', tag: 'v4', at: '2026-11-21T10:25:00Z' });
    await claim(running, 'exec-1');
    expect((await claim(older, 'exec-2')).status).toBe('BUSY');
    expect((await claim(newer, 'exec-3')).status).toBe('BUSY');

    const superseded = await claim(older, 'exec-2');
    expect(superseded).toEqual({
      status: 'SUPERSEDED',
      reason: `superseded by v4 (${newer.releaseId}) pushed at 2026-11-21T10:25:00Z`,
    });
    expect(await record(older.releaseId)).toMatchObject({
      outcome: 'SUPERSEDED',
      reason: superseded.reason,
      endedAt: '2026-11-21T10:30:00.000Z',
    });

    // The running release is never interrupted: the newest push still waits for it.
    expect((await claim(newer, 'exec-3')).status).toBe('BUSY');
    expect((await lock('newest'))?.holder?.releaseId).toBe(running.releaseId);

    await finishHolding(running, 'exec-1');
    expect((await claim(newer, 'exec-3')).status).toBe('ACQUIRED');
  });

  it('hands the target on when a retried claim that already holds it is superseded', async () => {
    // The first claim's answer (ACQUIRED) was lost; a newer push registered before the retry.
    const [first, newer] = firstAndNext('lost-answer');
    expect((await claim(first, 'exec-1')).status).toBe('ACQUIRED');
    expect((await claim(newer, 'exec-2')).status).toBe('BUSY');

    expect((await claim(first, 'exec-1')).status).toBe('SUPERSEDED');

    expect((await lock('lost-answer'))?.holder).toBeUndefined();
    expect((await claim(newer, 'exec-2')).status).toBe('ACQUIRED');
  });

  it('answers a repeated claim of a superseded release with SUPERSEDED and the same reason', async () => {
    const [running, older] = firstAndNext('repeat');
    const newer = releaseRequest({ environment: 'repeat', tag: 'v4', at: '2026-11-21T10:25:00Z' });
    await claim(running, 'exec-1');
    await claim(older, 'exec-2');
    await claim(newer, 'exec-3');
    const first = await claim(older, 'exec-2');

    expect(await claim(older, 'exec-2')).toEqual(first);
  });

  it('never releases an older image after a newer one, even when its push arrives late', async () => {
    const newer = releaseRequest({ environment: 'late', tag: 'v4', at: '2026-11-21T10:25:00Z' });
    const older = releaseRequest({ environment: 'late', tag: 'v3', at: '2026-11-21T10:20:00Z' });
    await claim(newer, 'exec-1');
    await finishHolding(newer, 'exec-1');

    const result = await claim(older, 'exec-2');

    expect(result.status).toBe('SUPERSEDED');
    expect(result.reason).toContain('v4');
  });

  it('orders pushes by when they happened, whatever ISO 8601 form the time is in', async () => {
    const running = releaseRequest({ environment: 'zones', tag: 'v1', at: '2026-11-21T07:00:00Z' });
    // 08:20 UTC, written with an offset that sorts after the other as text.
    const earlier = releaseRequest({ environment: 'zones', tag: 'v2', at: '2026-11-21T10:20:00+02:00' });
    const later = releaseRequest({ environment: 'zones', tag: 'v3', at: '2026-11-21T09:00:00Z' });
    await claim(running, 'exec-1');
    await claim(later, 'exec-3');

    expect((await claim(earlier, 'exec-2')).status).toBe('SUPERSEDED');
  });

  // Three pushes within one second (event times have no milliseconds), their
  // events arriving in every order, each delivered twice: ECR's imagePushedAt
  // alone decides, so the image pushed last is the one that goes live.
  const SAME_SECOND = '2026-11-21T10:20:00Z';
  const burst = (environment: string) =>
    ['10:20:00.100', '10:20:00.900', '10:20:00.500'].map((time, n) =>
      releaseRequest({ environment, tag: `v${n}`, at: SAME_SECOND, pushedAt: `2026-11-21T${time}Z` }),
    );
  const orders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  it.each(orders)(
    'releases the push ECR stored last among pushes of the same second, whatever order (%i, %i, %i) their events arrive in',
    async (...arrival) => {
      const environment = `burst-${arrival.join('')}`;
      const running = releaseRequest({ environment, tag: 'v-running', at: '2026-11-21T10:00:00Z' });
      const pushes = burst(environment);
      await claim(running, 'exec-running');
      for (const n of arrival) {
        const push = pushes[n] as ReleaseRequest;
        clock = new Date(clock.getTime() + 50);
        // BUSY behind the running release, or at once SUPERSEDED by a newer push already waiting.
        expect(['BUSY', 'SUPERSEDED']).toContain((await claim(push, `exec-${n}`)).status);
        // The redelivery: another execution, the same release.
        expect((await claim(push, `exec-${n}-again`)).status).toBe('DUPLICATE');
      }
      await finishHolding(running, 'exec-running');

      const statuses = [];
      for (const n of arrival) statuses[n] = (await claim(pushes[n] as ReleaseRequest, `exec-${n}`)).status;

      expect(statuses).toEqual(['SUPERSEDED', 'ACQUIRED', 'SUPERSEDED']);
    },
  );

  it('orders a new tag on an image pushed earlier by the time of the tag push, not of the image', async () => {
    const running = releaseRequest({ environment: 'retag', tag: 'v1', at: '2026-11-21T10:00:00Z' });
    const newImage = releaseRequest({ environment: 'retag', tag: 'v2', at: '2026-11-21T10:20:00Z' });
    // v1's image, pushed again as v3 after v2: ECR keeps the image's first push time.
    const retag = releaseRequest({
      environment: 'retag',
      tag: 'v3',
      at: '2026-11-21T10:25:00Z',
      pushedAt: '2026-11-21T09:59:59.500Z',
    });
    await claim(running, 'exec-1');
    await claim(newImage, 'exec-2');
    await claim(retag, 'exec-3');
    await finishHolding(running, 'exec-1');

    expect((await claim(newImage, 'exec-2')).status).toBe('SUPERSEDED');
    expect((await claim(retag, 'exec-3')).status).toBe('ACQUIRED');
  });

  it('breaks a tie between pushes of the same millisecond by digest, never by arrival', async () => {
    const running = releaseRequest({ environment: 'tie', tag: 'v1', at: '2026-11-21T10:00:00Z' });
    const a = releaseRequest({ environment: 'tie', tag: 'a', at: SAME_SECOND, digest: `sha256:${'f'.repeat(64)}` });
    const b = releaseRequest({ environment: 'tie', tag: 'b', at: SAME_SECOND, digest: `sha256:${'0'.repeat(64)}` });
    await claim(running, 'exec-1');
    await claim(a, 'exec-a');
    clock = new Date(clock.getTime() + 120);
    await claim(b, 'exec-b');
    await finishHolding(running, 'exec-1');

    const statuses = [(await claim(a, 'exec-a')).status, (await claim(b, 'exec-b')).status];

    expect(statuses).toEqual(['ACQUIRED', 'SUPERSEDED']);
  });

  it('never lets a release that has ended supersede a push made after it ended', async () => {
    // Dated four minutes ahead (within plan's tolerance): its order beats pushes made in those minutes.
    const ahead = releaseRequest({ environment: 'ended', tag: 'v2', at: '2026-11-21T10:34:00Z' });
    await claim(ahead, 'exec-1');
    await store.endRelease(releaseRecordFor(ahead, 'exec-1', clock.toISOString()), {
      outcome: 'SUCCEEDED',
      endedAt: '2026-11-21T10:30:30.000Z',
    });
    await finishHolding(ahead, 'exec-1');
    const later = releaseRequest({ environment: 'ended', tag: 'v3', at: '2026-11-21T10:31:00Z' });
    clock = new Date('2026-11-21T10:31:05Z');

    expect((await claim(later, 'exec-2')).status).toBe('ACQUIRED');
    expect((await lock('ended'))?.latest?.releaseId).toBe(later.releaseId);
  });

  it('lets no push dated far ahead of the clock, recorded before plan refused them, supersede real ones', async () => {
    const future = releaseRequest({ environment: 'future', tag: 'v2099', at: '2099-01-01T00:00:00Z' });
    await claim(future, 'exec-1');
    await finishHolding(future, 'exec-1');
    const real = releaseRequest({ environment: 'future', tag: 'v3', at: '2026-11-21T10:29:00Z' });

    expect((await claim(real, 'exec-2')).status).toBe('ACQUIRED');
  });

  it('still lets a running release that is newer supersede an older push', async () => {
    const newer = releaseRequest({ environment: 'newer-running', tag: 'v4', at: '2026-11-21T10:29:00Z' });
    const older = releaseRequest({ environment: 'newer-running', tag: 'v3', at: '2026-11-21T10:28:00Z' });
    await claim(newer, 'exec-1');

    expect((await claim(older, 'exec-2')).status).toBe('SUPERSEDED');
  });

  it('gives up waiting at the lock wait deadline', async () => {
    const [running, waiting] = firstAndNext('deadline', { lockWaitDeadline: '2026-11-21T10:45:00Z' });
    await claim(running, 'exec-1');
    expect((await claim(waiting, 'exec-2')).status).toBe('BUSY');

    clock = new Date('2026-11-21T10:45:01Z');
    const attempt = claim(waiting, 'exec-2');

    await expect(attempt).rejects.toBeInstanceOf(LockWaitTimeoutError);
    await expect(attempt).rejects.toThrow(/web#deadline.*v2/);
  });

  it('hands the target on when its holder died and its lease ran out, not before', async () => {
    const [dead, next] = firstAndNext('lease', { lockWaitDeadline: '2026-11-22T00:00:00Z' });
    await claim(dead, 'exec-1');
    const lease = lockLeaseSeconds(dead.target);
    // 2 × 600 s stability + one check of 3 × 5 s with 2 × 2 s between + 900 s.
    expect(lease).toBe(2119);
    expect((await lock('lease'))?.holder?.expiresAt).toBe(new Date(clock.getTime() + lease * 1000).toISOString());

    const start = clock.getTime();
    clock = new Date(start + (lease - 1) * 1000);
    expect((await claim(next, 'exec-2')).status).toBe('BUSY');
    clock = new Date(start + (lease + 1) * 1000);
    expect((await claim(next, 'exec-2')).status).toBe('ACQUIRED');
  });

  it("covers an inconclusive canary's wait for a person's answer when its policy asks, not otherwise", () => {
    const { target } = releaseRequest({ environment: 'lease', tag: 'v2', at: '2026-11-21T10:15:30Z' });
    const analysis = { ...DEFAULT_ANALYSIS, askTimeoutSeconds: 1200, onNoData: 'rollback' as const };
    expect(lockLeaseSeconds({ ...target, analysis: { ...analysis, onNoData: 'ask' } })).toBe(2119 + 1200);
    expect(lockLeaseSeconds({ ...target, analysis })).toBe(2119);
  });

  it('keeps the target while its holder renews the lease (a canary baking past the first lease), and hands it on once renewals stop', async () => {
    const [long, next] = firstAndNext('renewed', { lockWaitDeadline: '2026-11-22T00:00:00Z' });
    const claimed = await claim(long, 'exec-1');
    const lease = lockLeaseSeconds(long.target);
    // The lease the state machine renews with at each look at the rollout.
    expect(claimed).toMatchObject({ status: 'ACQUIRED', leaseSeconds: lease });

    const start = clock.getTime();
    // Three renewals, each just before the lease would run out: the release now runs past three leases.
    for (let look = 1; look <= 3; look++) {
      clock = new Date(start + look * (lease - 1) * 1000);
      const expiresAt = new Date(clock.getTime() + lease * 1000).toISOString();
      expect(await store.renewLock('web#renewed', long.releaseId, 'exec-1', expiresAt)).toBe(true);
      expect((await claim(next, 'exec-2')).status).toBe('BUSY');
    }
    // Another execution of the same release cannot renew it.
    expect(await store.renewLock('web#renewed', long.releaseId, 'exec-9', '2030-01-01T00:00:00.000Z')).toBe(false);
    clock = new Date(clock.getTime() + (lease + 1) * 1000);
    expect((await claim(next, 'exec-2')).status).toBe('ACQUIRED');
    // The first release's next look finds the lock taken.
    expect(await store.renewLock('web#renewed', long.releaseId, 'exec-1', clock.toISOString())).toBe(false);
  });

  it('records an image that is already live as NOOP without taking the target', async () => {
    const request = releaseRequest({ environment: 'noop', noop: 'v2 is already running (web:41)' });

    const result = await claim(request, 'exec-1');

    expect(result).toEqual({ status: 'NOOP', reason: 'v2 is already running (web:41)' });
    expect(await record(request.releaseId)).toMatchObject({
      outcome: 'NOOP',
      reason: 'v2 is already running (web:41)',
      endedAt: '2026-11-21T10:30:00.000Z',
    });
    expect(await lock('noop')).toBeUndefined();
  });

  it('fails as TransientError, which the state machine retries, when DynamoDB is unavailable', async () => {
    const unavailable = createServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: 'busy' }));
    });
    await new Promise<void>((resolve) => unavailable.listen(0, '127.0.0.1', resolve));
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(unavailable.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const store = createDynamoReleaseStore({
      client: DynamoDBDocumentClient.from(client),
      releasesTable: 'releases',
      locksTable: 'locks',
    });

    const attempt = claimRelease(
      { request: releaseRequest({ environment: 'unavailable' }), executionId: 'exec-1' },
      { store, now: () => clock },
    );

    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    client.destroy();
    unavailable.closeAllConnections();
    await new Promise((resolve) => unavailable.close(resolve));
  });
});
