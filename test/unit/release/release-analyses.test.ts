import { MAX_KEPT_ANALYSES } from '../../../src/release/kept-analyses.ts';
import type { StoredRelease } from '../../../src/release/ports/release-store.ts';
import { analysisAt } from '../../fixtures/release/kept-analysis.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// The analyses a release record keeps, against a real (local) DynamoDB.

let tables: ReleaseTables;

beforeAll(async () => {
  tables = await startReleaseTables('analyses');
}, 60_000);
afterAll(() => tables.stop());

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:release-automation-analyses-release:e1';

const record = (releaseId: string): StoredRelease => ({
  releaseId,
  executionId: EXECUTION,
  target: 'shop#staging',
  service: 'shop',
  environment: 'staging',
  trigger: { source: 'ecr-push', eventId: `event-${releaseId}`, at: '2026-12-06T10:00:00.000Z' },
  repository: 'demo/shop',
  tag: 'v2',
  digest: 'sha256:0123',
  image: 'demo/shop@sha256:0123',
  startedAt: '2026-12-06T10:00:00.000Z',
  outcome: 'RUNNING',
});

describe('ReleaseStore.recordAnalysis', () => {
  it("keeps each analysis's figures on the record, oldest first, once per window", async () => {
    await tables.store.createRelease(record('r1'));
    expect(await tables.store.recordAnalysis('r1', EXECUTION, analysisAt(1))).toBe(true);
    expect(await tables.store.recordAnalysis('r1', EXECUTION, analysisAt(2))).toBe(true);
    // A retried step: the same window again.
    expect(await tables.store.recordAnalysis('r1', EXECUTION, analysisAt(2))).toBe(true);
    const stored = await tables.store.readRelease('r1');
    expect(stored?.analyses).toEqual([analysisAt(1), analysisAt(2)]);
    expect(stored?.analysesRecorded).toBe(2);
    expect(stored?.analyses?.[0]?.metrics[0]).toMatchObject({ canary: { requests: 600, errors: 3 } });
  });

  it(`keeps the newest ${MAX_KEPT_ANALYSES} and counts every one`, async () => {
    await tables.store.createRelease(record('r2'));
    for (let minute = 1; minute <= MAX_KEPT_ANALYSES + 5; minute++) {
      await tables.store.recordAnalysis('r2', EXECUTION, analysisAt(minute));
    }
    const stored = await tables.store.readRelease('r2');
    expect(stored?.analyses).toHaveLength(MAX_KEPT_ANALYSES);
    expect(stored?.analyses?.[0]).toEqual(analysisAt(6));
    expect(stored?.analyses?.at(-1)).toEqual(analysisAt(MAX_KEPT_ANALYSES + 5));
    expect(stored?.analysesRecorded).toBe(MAX_KEPT_ANALYSES + 5);
  });

  it('writes nothing on a record another execution owns, or on none', async () => {
    await tables.store.createRelease(record('r3'));
    expect(await tables.store.recordAnalysis('r3', `${EXECUTION}-other`, analysisAt(1))).toBe(false);
    expect(await tables.store.recordAnalysis('r-missing', EXECUTION, analysisAt(1))).toBe(false);
    expect((await tables.store.readRelease('r3'))?.analyses).toBeUndefined();
    expect(await tables.store.readRelease('r-missing')).toBeUndefined();
  });
});
