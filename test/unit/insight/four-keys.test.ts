import { describe, expect, it } from '@jest/globals';
import {
  changeFailureRateBand,
  type DeliveryRecord,
  deploymentFrequencyBand,
  fourKeys,
  leadTimeBand,
  recoveryTimeBand,
  targetKeys,
} from '../../../src/insight/index.ts';

// The four keys from release records: counts first, then each key beside its band.

const NOW = new Date('2026-12-01T00:00:00.000Z');
const window = { since: new Date('2026-11-01T00:00:00.000Z'), until: NOW, failureWindowHours: 72 };

let n = 0;
/** A release of web/production that ended at `endedAt`, pushed an hour before it started. */
function release(endedAt: string, outcome: string, extra: Partial<DeliveryRecord> = {}): DeliveryRecord {
  n += 1;
  const ended = Date.parse(endedAt);
  return {
    releaseId: `r${n}`,
    service: 'web',
    environment: 'production',
    trigger: { source: 'ecr-push', at: new Date(ended - 3_600_000).toISOString() },
    startedAt: new Date(ended - 600_000).toISOString(),
    endedAt,
    outcome,
    ...extra,
  };
}

describe('fourKeys', () => {
  it('reports nothing for no releases', () => {
    expect(fourKeys([], { days: 30, failureWindowHours: 72 }, NOW)).toEqual([]);
  });

  it('counts a target with only NOOP and not-approved releases as no deployments, with no rates', () => {
    const keys = targetKeys(
      [release('2026-11-10T10:00:00Z', 'NOOP'), release('2026-11-11T10:00:00Z', 'NOT_APPROVED')],
      window,
    );
    expect(keys.counts).toEqual({ releases: 2, deployments: 0, succeeded: 0, failed: 0, recovered: 0 });
    expect(keys.changeFailureRate.rate).toBeUndefined();
    expect(keys.leadTime.medianSeconds).toBeUndefined();
    expect(keys.deploymentFrequency.band).toBe('low');
  });

  it('computes frequency, deploy days, lead time (saying from what), failure rate and recovery', () => {
    const records = [
      release('2026-11-10T10:00:00Z', 'SUCCEEDED'),
      release('2026-11-10T12:00:00Z', 'SUCCEEDED'),
      release('2026-11-11T10:00:00Z', 'ROLLED_BACK'),
      release('2026-11-11T10:30:00Z', 'SUCCEEDED'),
    ];
    const keys = targetKeys(records, window);
    expect(keys.counts).toEqual({ releases: 4, deployments: 4, succeeded: 3, failed: 1, recovered: 1 });
    expect(keys.deploymentFrequency).toMatchObject({
      perDay: 0.1,
      deployDays: 2,
      deployDaysPerWeek: 0.467,
      band: 'medium',
    });
    expect(keys.leadTime).toEqual({ medianSeconds: 3600, samples: 3, from: { 'ecr-push-time': 3 }, band: 'elite' });
    expect(keys.changeFailureRate).toMatchObject({ rate: 0.25, failed: 1, deployments: 4, band: 'low' });
    expect(keys.changeFailureRate.failures).toEqual([
      {
        releaseId: records[2]?.releaseId,
        why: 'outcome:ROLLED_BACK',
        failedAt: '2026-11-11T10:00:00Z',
        recoveredBy: records[3]?.releaseId,
        recoveryTimeSeconds: 1800,
      },
    ]);
    expect(keys.recoveryTime).toEqual({ medianSeconds: 1800, samples: 1, unrecovered: 0, band: 'elite' });
  });

  it('leaves a failure with no later success unrecovered', () => {
    const keys = targetKeys(
      [release('2026-11-10T10:00:00Z', 'SUCCEEDED'), release('2026-11-20T10:00:00Z', 'FAILED')],
      window,
    );
    expect(keys.changeFailureRate.failures[0]).toEqual({
      releaseId: expect.any(String),
      why: 'outcome:FAILED',
      failedAt: '2026-11-20T10:00:00Z',
    });
    expect(keys.recoveryTime).toEqual({ samples: 0, unrecovered: 1 });
  });

  it('links a hotfix within the failure window to the release before it, by id; a later one is no link', () => {
    const bad = release('2026-11-10T10:00:00Z', 'SUCCEEDED');
    const hotfix = release('2026-11-10T14:00:00Z', 'SUCCEEDED', { hotfix: true });
    const good = release('2026-11-20T10:00:00Z', 'SUCCEEDED');
    const lateHotfix = release('2026-11-25T10:00:00Z', 'SUCCEEDED', { hotfix: true });
    const keys = targetKeys([bad, hotfix, good, lateHotfix], window);
    expect(keys.changeFailureRate.failures).toEqual([
      {
        releaseId: bad.releaseId,
        why: `remediated-by:${hotfix.releaseId}`,
        failedAt: bad.endedAt,
        recoveredBy: hotfix.releaseId,
        recoveryTimeSeconds: 4 * 3600,
      },
    ]);
    expect(keys.changeFailureRate.rate).toBe(0.25);
  });

  it('links only releases of the same target', () => {
    const staging = { ...release('2026-11-10T11:00:00Z', 'SUCCEEDED', { hotfix: true }), environment: 'staging' };
    const [production] = fourKeys(
      [release('2026-11-10T10:00:00Z', 'SUCCEEDED'), staging],
      { days: 30, failureWindowHours: 72 },
      NOW,
    ).filter((keys) => keys.environment === 'production');
    expect(production?.changeFailureRate.failed).toBe(0);
  });

  it('counts releases that ended inside [since, until) only; running ones never', () => {
    const keys = targetKeys(
      [
        release('2026-10-31T23:59:59.999Z', 'SUCCEEDED'),
        release('2026-11-01T00:00:00.000Z', 'SUCCEEDED'),
        release('2026-12-01T00:00:00.000Z', 'SUCCEEDED'),
        { ...release('2026-11-15T00:00:00.000Z', 'RUNNING'), endedAt: undefined } as DeliveryRecord,
      ],
      window,
    );
    expect(keys.counts.releases).toBe(1);
  });

  it('prefers a recorded commit time for lead time and says where it came from', () => {
    const keys = targetKeys(
      [
        release('2026-11-10T10:00:00Z', 'SUCCEEDED', {
          commitAt: '2026-11-08T10:00:00Z',
          commitAtFrom: 'oci-label:org.opencontainers.image.created',
        }),
      ],
      window,
    );
    expect(keys.leadTime).toEqual({
      medianSeconds: 2 * 86_400,
      samples: 1,
      from: { 'oci-label:org.opencontainers.image.created': 1 },
      band: 'high',
    });
  });
});

describe('DORA bands', () => {
  it('places each key at its band edges', () => {
    expect([2, 1, 0.5, 1 / 7, 0.1, 1 / 30, 0.01].map(deploymentFrequencyBand)).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
    ]);
    expect([3599, 86_399, 86_400, 7 * 86_400, 7 * 86_400 + 1, 30 * 86_400 + 1].map(leadTimeBand)).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'low',
    ]);
    expect([0, 0.05, 0.06, 0.1, 0.15, 0.2].map(changeFailureRateBand)).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'low',
    ]);
    expect([3599, 3600, 86_399, 86_400, 7 * 86_400, 7 * 86_400 + 1].map(recoveryTimeBand)).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
    ]);
  });
});

describe('the catalog’s insight settings', () => {
  it('default the failure window to 72 hours and refuse one under an hour', async () => {
    const { catalogSchema } = await import('../../../src/catalog/schema.ts');
    expect(catalogSchema.parse({ services: {} }).insight).toEqual({ failureWindowHours: 72 });
    expect(catalogSchema.parse({ services: {}, insight: { failureWindowHours: 24 } }).insight.failureWindowHours).toBe(
      24,
    );
    expect(catalogSchema.safeParse({ services: {}, insight: { failureWindowHours: 0 } }).success).toBe(false);
    expect(catalogSchema.safeParse({ services: {}, insight: { failureWindow: 24 } }).success).toBe(false);
  });
});
