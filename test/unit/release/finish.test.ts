import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { claimRelease } from '../../../src/release/claim.ts';
import { type EndedRelease, finishRelease, ReleaseNotOwnedError } from '../../../src/release/finish.ts';
import type { ReleaseStore } from '../../../src/release/ports/release-store.ts';
import type { DeployResult, ReleaseRequest } from '../../../src/release/release.ts';
import { webDeployment } from '../../support/ecs-release.ts';
import { releaseRequest } from '../../support/release-request.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

let tables: ReleaseTables;
let store: ReleaseStore;
let clock: Date;

beforeAll(async () => {
  tables = await startReleaseTables('finish');
  store = tables.store;
}, 60_000);
afterAll(() => tables.stop());
beforeEach(() => {
  clock = new Date('2026-11-21T10:30:00Z');
});

const deps = () => ({ store, now: () => clock });
const claim = (request: ReleaseRequest, executionId: string) => claimRelease({ request, executionId }, deps());
const record = async (releaseId: string) =>
  (await tables.documents.send(new GetCommand({ TableName: tables.environment.RELEASES_TABLE, Key: { releaseId } })))
    .Item;

// web:41 → web:42, deployed at 10:30:05 in these tests.
const deployment: DeployResult = {
  ...webDeployment(),
  startedAt: '2026-11-21T10:30:05Z',
  deadline: '2026-11-21T10:40:05Z',
};

describe('finish', () => {
  it('reports each ended release for the delivery metrics, with its lead time from the push', async () => {
    const request = releaseRequest({ environment: 'metrics', tag: 'v9', at: '2026-11-21T10:15:30Z' });
    await claim(request, 'exec-m');
    clock = new Date('2026-11-21T10:20:00Z');
    const ended: EndedRelease[] = [];

    await finishRelease(
      { request, executionId: 'exec-m', outcome: 'ROLLED_BACK', deployment },
      { ...deps(), observe: (release) => ended.push(release) },
    );

    expect(ended).toEqual([
      {
        service: request.target.service,
        environment: 'metrics',
        outcome: 'ROLLED_BACK',
        leadTimeSeconds: 270,
        // Claimed at 10:30 (the clock before), ended at 10:20: never negative.
        durationSeconds: 0,
      },
    ]);
  });

  it('keeps when the change was made, as the image says, on the record', async () => {
    const request = releaseRequest({ environment: 'change', tag: 'v9', at: '2026-11-21T10:15:30Z' });
    await claim(request, 'exec-c');
    const asked: unknown[] = [];
    const changeTime = async (image: { repository: string; digest: string }) => {
      asked.push(image);
      return { at: '2026-11-21T08:00:00.000Z', from: 'oci-annotation:org.opencontainers.image.created' };
    };

    await finishRelease(
      { request, executionId: 'exec-c', outcome: 'SUCCEEDED', deployment },
      { ...deps(), changeTime },
    );

    expect(asked).toEqual([{ repository: request.image.repository, digest: request.image.digest }]);
    expect(await record(request.releaseId)).toMatchObject({
      commitAt: '2026-11-21T08:00:00.000Z',
      commitAtFrom: 'oci-annotation:org.opencontainers.image.created',
    });
  });

  it('hands the ended record to the ledger on every try, a retry included', async () => {
    const request = releaseRequest({ environment: 'ledger', tag: 'v9', at: '2026-11-21T10:15:30Z' });
    await claim(request, 'exec-l');
    clock = new Date('2026-11-21T10:40:00Z');
    const seen: unknown[] = [];
    const ledger = async (ended: unknown) => {
      seen.push(ended);
    };

    await finishRelease({ request, executionId: 'exec-l', outcome: 'SUCCEEDED', deployment }, { ...deps(), ledger });
    await finishRelease({ request, executionId: 'exec-l', outcome: 'SUCCEEDED', deployment }, { ...deps(), ledger });

    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({
      releaseId: request.releaseId,
      outcome: 'SUCCEEDED',
      endedAt: '2026-11-21T10:40:00.000Z',
      taskDefinitionArn: deployment.taskDefinitionArn,
    });
    expect(seen[1]).toEqual(seen[0]);
  });

  it('records the outcome and what was deployed, and lets the next push of the target release', async () => {
    const first = releaseRequest({ environment: 'done', tag: 'v2', at: '2026-11-21T10:15:30Z' });
    const next = releaseRequest({ environment: 'done', tag: 'v3', at: '2026-11-21T10:20:00Z' });
    await claim(first, 'exec-1');
    expect((await claim(next, 'exec-2')).status).toBe('BUSY');
    clock = new Date('2026-11-21T10:41:00Z');

    const result = await finishRelease(
      { request: first, executionId: 'exec-1', outcome: 'SUCCEEDED', deployment },
      deps(),
    );

    expect(result).toEqual({ releaseId: first.releaseId, outcome: 'SUCCEEDED' });
    expect(await record(first.releaseId)).toMatchObject({
      outcome: 'SUCCEEDED',
      startedAt: '2026-11-21T10:30:00.000Z',
      endedAt: '2026-11-21T10:41:00.000Z',
      previousTaskDefinitionArn: deployment.previousTaskDefinitionArn,
      taskDefinitionArn: deployment.taskDefinitionArn,
      serviceDeploymentArn: deployment.serviceDeploymentArn,
    });
    expect((await claim(next, 'exec-2')).status).toBe('ACQUIRED');
  });

  it('explains a failure with the caught error', async () => {
    const request = releaseRequest({ environment: 'failed' });
    await claim(request, 'exec-1');
    const error = {
      Error: 'DeployFailedError',
      Cause: JSON.stringify({ errorType: 'DeployFailedError', errorMessage: 'UpdateService refused: no such cluster' }),
    };

    const result = await finishRelease({ request, executionId: 'exec-1', outcome: 'FAILED', error }, deps());

    expect(result.reason).toBe('DeployFailedError: UpdateService refused: no such cluster');
    expect(await record(request.releaseId)).toMatchObject({ outcome: 'FAILED', reason: result.reason });
  });

  it('prefers the reason it is given', async () => {
    const request = releaseRequest({ environment: 'given' });
    await claim(request, 'exec-1');

    await finishRelease({ request, executionId: 'exec-1', outcome: 'NOOP', reason: 'v2 is already live' }, deps());

    expect(await record(request.releaseId)).toMatchObject({ outcome: 'NOOP', reason: 'v2 is already live' });
  });

  it('can be retried: the same outcome, the first end time, observed once', async () => {
    const request = releaseRequest({ environment: 'retry' });
    await claim(request, 'exec-1');
    const input = { request, executionId: 'exec-1', outcome: 'ROLLED_BACK' as const, deployment };
    const ended: EndedRelease[] = [];
    const observed = () => ({ ...deps(), observe: (release: EndedRelease) => ended.push(release) });
    const first = await finishRelease(input, observed());
    clock = new Date('2026-11-21T10:50:00Z');

    await expect(finishRelease(input, observed())).resolves.toEqual(first);
    expect(ended).toHaveLength(1);
    expect(await record(request.releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      endedAt: '2026-11-21T10:30:00.000Z',
    });
  });

  it("never touches another execution's release, nor frees the target under it", async () => {
    const request = releaseRequest({ environment: 'foreign' });
    const next = releaseRequest({ environment: 'foreign', tag: 'v3', at: '2026-11-21T10:20:00Z' });
    await claim(request, 'exec-1');

    const attempt = finishRelease({ request, executionId: 'exec-2', outcome: 'FAILED' }, deps());

    await expect(attempt).rejects.toBeInstanceOf(ReleaseNotOwnedError);
    expect(await record(request.releaseId)).toMatchObject({ executionId: 'exec-1', outcome: 'RUNNING' });
    expect((await claim(next, 'exec-3')).status).toBe('BUSY');
  });

  it('records a release whose claim never got to write its record', async () => {
    const request = releaseRequest({ environment: 'unclaimed' });
    const error = { Error: 'TransientError', Cause: 'DynamoDB PutItem failed, worth retrying' };

    await finishRelease({ request, executionId: 'exec-1', outcome: 'FAILED', error }, deps());

    expect(await record(request.releaseId)).toMatchObject({
      executionId: 'exec-1',
      target: 'web#unclaimed',
      tag: 'v2',
      digest: request.image.digest,
      outcome: 'FAILED',
      startedAt: '2026-11-21T10:30:00.000Z',
      reason: 'TransientError: DynamoDB PutItem failed, worth retrying',
    });
  });

  it('records a release that gave up waiting without freeing the target it never held', async () => {
    const running = releaseRequest({ environment: 'gaveup', tag: 'v2', at: '2026-11-21T10:15:30Z' });
    const waiting = releaseRequest({ environment: 'gaveup', tag: 'v3', at: '2026-11-21T10:20:00Z' });
    await claim(running, 'exec-1');
    await claim(waiting, 'exec-2');
    const error = {
      Error: 'LockWaitTimeoutError',
      Cause: '{"errorType":"LockWaitTimeoutError","errorMessage":"gave up"}',
    };

    await finishRelease({ request: waiting, executionId: 'exec-2', outcome: 'FAILED', error }, deps());

    expect(await record(waiting.releaseId)).toMatchObject({
      outcome: 'FAILED',
      reason: 'LockWaitTimeoutError: gave up',
    });
    expect((await store.readLock('web#gaveup'))?.holder?.releaseId).toBe(running.releaseId);
  });
});
