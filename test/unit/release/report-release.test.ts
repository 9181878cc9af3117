import type { Notifier } from '../../../src/platform/notifier.ts';
import { claimRelease } from '../../../src/release/claim.ts';
import type { ReleaseStore } from '../../../src/release/ports/release-store.ts';
import { reportRelease } from '../../../src/release/report-release.ts';
import { analysisAt } from '../../fixtures/release/kept-analysis.ts';
import { releaseRequest } from '../../support/release-request.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// notify's analysis event: posted to the chat and kept on the release record,
// neither able to fail the release.

let tables: ReleaseTables;
beforeAll(async () => {
  tables = await startReleaseTables('report');
}, 60_000);
afterAll(() => tables.stop());

const posted: string[] = [];
const notifier: Notifier = {
  post: async (message) => {
    posted.push(message.text);
    return { ts: '1790000000.000002', channel: 'C0RELEASES' };
  },
};
const thread = { ts: '1790000000.000001', channel: 'C0RELEASES' };

describe('reportRelease', () => {
  it("posts an analysis and keeps its figures on the release's record", async () => {
    const request = releaseRequest({ tag: 'v7', environment: 'report7' });
    await claimRelease({ request, executionId: 'exec-7' }, { store: tables.store, now: () => new Date() });

    const report = await reportRelease(
      { event: 'analysis', request, executionId: 'exec-7', analysis: analysisAt(2), notice: thread },
      { notifier, releases: tables.store },
    );

    expect(report).toEqual({ notice: { delivered: true, ts: thread.ts, channel: 'C0RELEASES' } });
    expect(posted.at(-1)).toMatch(/^Analysis of web v7 on report7: pass/);
    expect((await tables.store.readRelease(request.releaseId))?.analyses).toEqual([analysisAt(2)]);
  });

  it('says why an analysis was not kept, without rejecting, when the store fails or the record is not its own', async () => {
    const request = releaseRequest({ tag: 'v8', environment: 'report8' });
    const failing: ReleaseStore = {
      ...tables.store,
      recordAnalysis: () => Promise.reject(new Error('DynamoDB is down')),
    };
    const input = {
      event: 'analysis' as const,
      request,
      executionId: 'exec-8',
      analysis: analysisAt(3),
      notice: thread,
    };

    const down = await reportRelease(input, { notifier, releases: failing });
    expect(down.notice.delivered).toBe(true);
    expect(down.notKept).toBe('Error: DynamoDB is down');
    const missing = await reportRelease(input, { notifier, releases: tables.store });
    expect(missing.notKept).toBe(`release ${request.releaseId} has no record of execution exec-8`);
  });

  it('keeps nothing for other events', async () => {
    const request = releaseRequest({ tag: 'v9', environment: 'report9' });
    await claimRelease({ request, executionId: 'exec-9' }, { store: tables.store, now: () => new Date() });
    const report = await reportRelease(
      { event: 'succeeded', request, executionId: 'exec-9' },
      { notifier, releases: tables.store },
    );
    expect(report.notKept).toBeUndefined();
    expect((await tables.store.readRelease(request.releaseId))?.analyses).toBeUndefined();
  });
});
