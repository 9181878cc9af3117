import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError, MalformedReleaseError } from '../../../src/platform/errors.ts';
import { createDynamoReleaseStore } from '../../../src/release/adapters/release-store.ts';
import type { ReleaseStore, StoredRelease } from '../../../src/release/ports/release-store.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// The store's reads against a real (local) DynamoDB: paging, the index's
// order and filter expressions are DynamoDB's behaviour, not the adapter's.

let tables: ReleaseTables;

beforeAll(async () => {
  tables = await startReleaseTables('reads');
}, 60_000);
afterAll(() => tables.stop());

// A long reason makes an item ~350 KB, so that a page (1 MB) holds three of them.
const LONG_REASON = 'x'.repeat(350_000);

const stored = (service: string, environment: string, startedAt: string, reason?: string): StoredRelease => {
  const releaseId = `${service}-${environment}-${startedAt}`;
  return {
    releaseId,
    executionId: `arn:aws:states:us-east-1:000000000000:execution:release-automation-reads-release:${releaseId.replaceAll(':', '')}`,
    target: `${service}#${environment}`,
    service,
    environment,
    trigger: { source: 'ecr-push', eventId: `event-${releaseId}`, at: startedAt },
    repository: `demo/${service}`,
    tag: 'v1',
    digest: 'sha256:0123',
    image: `demo/${service}@sha256:0123`,
    startedAt,
    outcome: 'FAILED',
    ...(reason === undefined ? {} : { reason }),
  };
};

const createAll = async (records: StoredRelease[]) => {
  for (const record of records) await tables.store.createRelease(record);
};

/** A store over the same tables through its own client, which records each Query and Scan page it reads. */
function observedStore() {
  const pages: { operation: string; Limit?: number; Count?: number }[] = [];
  const client = new DynamoDBClient({
    endpoint: tables.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const { Limit } = args.input as { Limit?: number };
      const { Count } = result.output as { Count?: number };
      pages.push({ operation: context.commandName ?? '', Limit, Count });
      return result;
    },
    { step: 'initialize' },
  );
  const store: ReleaseStore = createDynamoReleaseStore({
    client: DynamoDBDocumentClient.from(client),
    releasesTable: tables.environment.RELEASES_TABLE ?? '',
    locksTable: tables.environment.LOCKS_TABLE ?? '',
  });
  return { store, pages, destroy: () => client.destroy() };
}

const ids = (records: StoredRelease[]) => records.map((record) => record.startedAt);

describe('ReleaseStore.listReleases', () => {
  it("reads one target's newest records from the byTarget index, page after page, no further than the limit", async () => {
    const times = ['01', '02', '03', '04', '05', '06'].map((minute) => `2026-11-21T12:${minute}:00.000Z`);
    await createAll(times.map((at) => stored('query', 'staging', at, LONG_REASON)));
    // Newer, but another target's.
    await createAll([stored('query', 'production', '2026-11-21T13:00:00.000Z')]);
    const observed = observedStore();
    try {
      const records = await observed.store.listReleases({ limit: 4, service: 'query', environment: 'staging' });

      expect(ids(records)).toEqual([times[5], times[4], times[3], times[2]]);
      expect(records[0]).toEqual(stored('query', 'staging', times[5] ?? '', LONG_REASON));
      // The first page stops at 1 MB (three items); the second asks only for the one still missing.
      expect(observed.pages).toEqual([
        { operation: 'QueryCommand', Limit: 4, Count: 3 },
        { operation: 'QueryCommand', Limit: 1, Count: 1 },
      ]);
    } finally {
      observed.destroy();
    }
  });

  it('scans every page with the service or environment filter, then keeps the newest', async () => {
    await createAll([
      stored('scanweb', 'scan-staging', '2026-11-21T09:01:00.000Z', LONG_REASON),
      stored('scanweb', 'scan-production', '2026-11-21T09:02:00.000Z', LONG_REASON),
      stored('scanapi', 'scan-staging', '2026-11-21T09:03:00.000Z', LONG_REASON),
      stored('scanweb', 'scan-staging', '2026-11-21T09:04:00.000Z', LONG_REASON),
      stored('scanapi', 'scan-production', '2026-11-21T09:05:00.000Z', LONG_REASON),
      stored('scanweb', 'scan-production', '2026-11-21T09:06:00.000Z', LONG_REASON),
      stored('scanapi', 'scan-staging', '2099-01-01T00:00:00.000Z'),
    ]);
    const observed = observedStore();
    try {
      const web = await observed.store.listReleases({ limit: 10, service: 'scanweb' });
      expect(web.map(({ environment, startedAt }) => `${environment} ${startedAt}`)).toEqual([
        'scan-production 2026-11-21T09:06:00.000Z',
        'scan-staging 2026-11-21T09:04:00.000Z',
        'scan-production 2026-11-21T09:02:00.000Z',
        'scan-staging 2026-11-21T09:01:00.000Z',
      ]);
      // Six items of ~350 KB (and the other tests' own) do not fit one 1 MB page.
      expect(observed.pages.length).toBeGreaterThan(2);
      expect(observed.pages.every((page) => page.operation === 'ScanCommand')).toBe(true);

      const staging = await observed.store.listReleases({ limit: 2, environment: 'scan-staging' });
      expect(staging.map(({ service, startedAt }) => `${service} ${startedAt}`)).toEqual([
        'scanapi 2099-01-01T00:00:00.000Z',
        'scanweb 2026-11-21T09:04:00.000Z',
      ]);

      const newest = await observed.store.listReleases({ limit: 1 });
      expect(ids(newest)).toEqual(['2099-01-01T00:00:00.000Z']);
    } finally {
      observed.destroy();
    }
  });

  it('fails on a record that does not match its schema, naming it, rather than leaving it out', async () => {
    const TableName = tables.environment.RELEASES_TABLE;
    await createAll([stored('broken', 'staging', '2026-11-21T12:01:00.000Z')]);
    await tables.documents.send(
      new PutCommand({
        TableName,
        Item: {
          releaseId: 'broken-staging-half-written',
          target: 'broken#staging',
          service: 'broken',
          environment: 'staging',
          startedAt: '2026-11-21T12:02:00.000Z',
          outcome: 'DONE',
        },
      }),
    );
    try {
      const named = /release record broken-staging-half-written .*does not match its schema \(.*outcome/;
      const query = tables.store.listReleases({ limit: 5, service: 'broken', environment: 'staging' });
      await expect(query).rejects.toThrow(MalformedReleaseError);
      await expect(query).rejects.toThrow(named);
      await expect(tables.store.listReleases({ limit: 5, service: 'broken' })).rejects.toThrow(named);
      await expect(tables.store.readRelease('broken-staging-half-written')).rejects.toThrow(named);
    } finally {
      await tables.documents.send(new DeleteCommand({ TableName, Key: { releaseId: 'broken-staging-half-written' } }));
    }
  });

  it('refuses a limit that is not a positive whole number, before reading anything', async () => {
    await expect(tables.store.listReleases({ limit: 0 })).rejects.toThrow(InvalidInputError);
    await expect(tables.store.listReleases({ limit: 1.5, service: 'web', environment: 'staging' })).rejects.toThrow(
      InvalidInputError,
    );
  });
});

describe('ReleaseStore.listExecutionReleases', () => {
  it('finds every record one execution created through the byExecution index, and reads each from the table', async () => {
    const execution = 'arn:aws:states:us-east-1:000000000000:execution:release-automation-reads-release:several';
    const mine = ['a', 'b', 'c', 'd'].map((environment) => ({
      ...stored('several', environment, '2026-11-21T14:00:00.000Z', LONG_REASON),
      executionId: execution,
      outcome: 'RUNNING' as const,
    }));
    await createAll([...mine, stored('several', 'other', '2026-11-21T14:00:00.000Z')]);
    // Ended after it was listed: the record as the table has it now, not as the index saw it.
    const [first] = mine;
    if (!first) throw new Error('no record');
    await tables.store.endRelease(first, { outcome: 'SUCCEEDED', endedAt: '2026-11-21T14:05:00.000Z' });

    const records = await tables.store.listExecutionReleases(execution);

    expect(records.map((record) => record.releaseId)).toEqual(mine.map((record) => record.releaseId).sort());
    expect(records[0]).toMatchObject({ outcome: 'SUCCEEDED', reason: LONG_REASON });
    expect(await tables.store.listExecutionReleases(`${execution}-none`)).toEqual([]);
  });
});
