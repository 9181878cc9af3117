import type { DashboardSource, ExecutionStates, FourKeys } from '../../../src/dashboard/index.ts';
import { fourKeysNotAvailable } from '../../../src/dashboard/index.ts';
import type { StoredRelease } from '../../../src/release/index.ts';

// Release records and a source for the dashboard's tests, with no AWS behind them.

export function storedRelease(fields: Partial<StoredRelease> = {}): StoredRelease {
  return {
    releaseId: 'shop-dev-1',
    executionId: 'arn:aws:states:us-east-1:000000000000:execution:release:1',
    service: 'shop',
    environment: 'dev',
    trigger: { source: 'ecr-push', eventId: '1', at: '2026-12-06T08:00:00.000Z' },
    repository: 'demo/shop',
    tag: 'v2',
    digest: 'sha256:abc',
    image: '000000000000.dkr.ecr.us-east-1.amazonaws.com/demo/shop:v2',
    startedAt: '2026-12-06T08:00:00.000Z',
    outcome: 'RUNNING',
    target: 'shop#dev',
    ...fields,
  } as StoredRelease;
}

/** An analysis as canary-check keeps it: error rates (fractions) and latency medians (seconds). */
export function analysis(end: string, verdict: string, canary: number, baseline: number) {
  return {
    verdict,
    decision: verdict === 'fail' ? 'rollback' : 'continue',
    reason: `error rate ${canary} vs ${baseline}`,
    window: { start: new Date(Date.parse(end) - 60_000).toISOString(), end },
    metrics: [
      {
        metric: 'error-rate',
        verdict,
        reason: 'r',
        canary: { requests: 100, errors: canary * 100, rate: canary },
        baseline: { requests: 900, errors: baseline * 900, rate: baseline },
      },
      {
        metric: 'latency',
        verdict: 'pass',
        reason: 'r',
        canary: { periods: 3, median: 0.02 },
        baseline: { periods: 3 },
      },
    ],
  };
}

export function fakeSource(
  records: StoredRelease[],
  extra: {
    states?: ExecutionStates;
    keys?: FourKeys;
    alarms?: Awaited<ReturnType<DashboardSource['listAlarms']>>;
  } = {},
): DashboardSource {
  return {
    listReleases: async (limit) => records.slice(0, limit),
    readRelease: async (id) => records.find((record) => record.releaseId === id),
    readStates: async () => extra.states,
    listAlarms: async () => extra.alarms ?? [],
    fourKeys: extra.keys ? async () => extra.keys as FourKeys : fourKeysNotAvailable('no keys in this test'),
  };
}
