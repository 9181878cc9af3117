import { keysView } from '../../../src/dashboard/index.ts';
import { fourKeys } from '../../../src/insight/index.ts';

// The four keys panel shows the insight feature's figures per target, as text with their bands.

const record = (releaseId: string, outcome: string, startedAt: string, endedAt: string) => ({
  releaseId,
  service: 'shop',
  environment: 'staging',
  trigger: { source: 'ecr-push', at: startedAt },
  startedAt,
  endedAt,
  outcome,
});

describe('the four keys panel', () => {
  it('shows each target with its four figures and their DORA bands, computed from the release records', () => {
    const now = new Date('2026-12-06T12:00:00.000Z');
    const targets = fourKeys(
      [
        record('a', 'ROLLED_BACK', '2026-12-06T08:00:00.000Z', '2026-12-06T08:10:00.000Z'),
        record('b', 'SUCCEEDED', '2026-12-06T08:30:00.000Z', '2026-12-06T08:40:00.000Z'),
      ],
      { days: 30, failureWindowHours: 72 },
      now,
    );
    const view = keysView(targets, 30);
    expect(view).toEqual({
      available: true,
      days: 30,
      targets: [
        {
          service: 'shop',
          environment: 'staging',
          deployments: 2,
          deploymentFrequency: expect.stringMatching(/^0\.033\/day · medium$/),
          leadTime: '10 min (median of 1) · elite',
          changeFailureRate: '50.0% (1 of 2) · low',
          timeToRestore: '30 min (median of 1, 0 not recovered) · elite',
        },
      ],
    });
  });
});
