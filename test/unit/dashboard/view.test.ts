import { canarySeries, releaseDetail, stateRows, stateTotals, timeline } from '../../../src/dashboard/index.ts';
import { analysis, storedRelease } from './fixtures.ts';

const NOW = Date.parse('2026-12-06T08:10:00.000Z');

describe('the dashboard view models', () => {
  it('groups releases by service and environment, lanes by name, each newest first', () => {
    const lanes = timeline(
      [
        storedRelease({ releaseId: 'a', service: 'web', startedAt: '2026-12-06T08:01:00.000Z' }),
        storedRelease({ releaseId: 'b', startedAt: '2026-12-06T08:02:00.000Z' }),
        storedRelease({
          releaseId: 'c',
          startedAt: '2026-12-06T08:05:00.000Z',
          outcome: 'SUCCEEDED',
          endedAt: '2026-12-06T08:06:00.000Z',
        }),
        storedRelease({ releaseId: 'd', environment: 'prod' }),
      ],
      NOW,
    );
    expect(
      lanes.map((lane) => `${lane.service}/${lane.environment}:${lane.releases.map((r) => r.id).join(',')}`),
    ).toEqual(['shop/dev:c,b', 'shop/prod:d', 'web/dev:a']);
    expect(lanes[0]?.releases[0]?.durationMs).toBe(60_000);
    expect(lanes[0]?.releases[1]?.durationMs).toBe(8 * 60_000);
  });

  it('gives each state its duration: to the next state, to the stop, or to now for the current one', () => {
    const states = [
      { name: 'Plan', enteredAt: '2026-12-06T08:00:00.000Z' },
      { name: 'Deploy', enteredAt: '2026-12-06T08:00:05.000Z' },
    ];
    expect(stateRows({ status: 'RUNNING', states }, NOW)).toEqual([
      { name: 'Plan', enteredAt: states[0]?.enteredAt, durationMs: 5_000, current: false },
      { name: 'Deploy', enteredAt: states[1]?.enteredAt, durationMs: 595_000, current: true },
    ]);
    const stopped = stateRows({ status: 'SUCCEEDED', states, stoppedAt: '2026-12-06T08:00:07.000Z' }, NOW);
    expect(stopped.map((state) => [state.durationMs, state.current])).toEqual([
      [5_000, false],
      [2_000, false],
    ]);
    expect(stateRows(undefined, NOW)).toEqual([]);
    const loop = ['Wait', 'Check', 'Wait', 'Check', 'Wait'].map((name, index) => ({
      name,
      enteredAt: new Date(NOW + index * 1_000).toISOString(),
    }));
    expect(stateTotals(stateRows({ status: 'RUNNING', states: loop }, NOW + 4_500))).toEqual([
      { name: 'Wait', entries: 3, durationMs: 2_500, current: true },
      { name: 'Check', entries: 2, durationMs: 2_000, current: false },
    ]);
  });

  it('charts each analysis: error rates in percent, latency medians in ms, a missing side as null', () => {
    const record = storedRelease({
      analyses: [
        analysis('2026-12-06T08:01:00.000Z', 'pass', 0.01, 0.005),
        analysis('2026-12-06T08:02:00.000Z', 'fail', 0.3, 0.005),
      ],
    });
    const series = canarySeries(record);
    expect(series.times).toEqual([
      Date.parse('2026-12-06T08:01:00.000Z') / 1000,
      Date.parse('2026-12-06T08:02:00.000Z') / 1000,
    ]);
    expect(series.errorRate.canary).toEqual([1, 30]);
    expect(series.errorRate.baseline).toEqual([0.5, 0.5]);
    expect(series.latencyMs.canary).toEqual([20, 20]);
    expect(series.latencyMs.baseline).toEqual([null, null]);
    expect(series.verdicts.map((row) => [row.n, row.verdict, row.decision])).toEqual([
      [1, 'pass', 'continue'],
      [2, 'fail', 'rollback'],
    ]);
  });

  it('charts each interval of a growing window: rates from the differences of its counts, latency its newest period', () => {
    const start = '2026-12-06T08:00:00.000Z';
    const cumulative = (end: string, requests: number, errors: number, latest: number, since = start) => ({
      verdict: 'pass',
      decision: 'continue',
      reason: 'r',
      window: { start: since, end },
      metrics: [
        { metric: 'error-rate', verdict: 'pass', reason: 'r', canary: { requests, errors, rate: errors / requests } },
        { metric: 'latency', verdict: 'pass', reason: 'r', canary: { periods: 2, median: 0.1, latest } },
      ],
    });
    const series = canarySeries(
      storedRelease({
        analyses: [
          cumulative('2026-12-06T08:01:00.000Z', 100, 1, 0.05),
          cumulative('2026-12-06T08:02:00.000Z', 200, 31, 0.25),
          cumulative('2026-12-06T08:03:00.000Z', 200, 31, 0.2),
          // The next step's window starts again.
          cumulative('2026-12-06T08:04:00.000Z', 50, 5, 0.1, '2026-12-06T08:03:00.000Z'),
        ] as never,
      }),
    );
    expect(series.errorRate.canary).toEqual([1, 30, null, 10]);
    expect(series.latencyMs.canary).toEqual([50, 250, 200, 100]);
  });

  it('shows only the fields it names: no trigger, approvals or other record fields', () => {
    const record = storedRelease({
      decisions: [{ approvalId: 'x', verdict: 'APPROVED', by: 'U123', at: '2026-12-06T08:00:00.000Z' }],
    } as never);
    const detail = releaseDetail(record, undefined, NOW);
    expect(Object.keys(detail).sort()).toEqual(
      [
        'analyses',
        'analysesRecorded',
        'analysisRows',
        'digest',
        'durationMs',
        'environment',
        'id',
        'image',
        'outcome',
        'service',
        'startedAt',
        'stateTotals',
        'states',
      ].sort(),
    );
  });
});
