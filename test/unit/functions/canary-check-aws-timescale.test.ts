import {
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from '@jest/globals';
import type { CanaryCheckResult } from '../../../src/canary/check.ts';
import type { AnalysisHistory } from '../../../src/canary/decision.ts';
import { DEFAULT_ANALYSIS } from '../../../src/canary/policy.ts';
import { useCanaryCheck } from '../../support/canary-check.ts';

// canary-check at AWS's own timescale: the default policy (an analysis every
// 60 s), ALB's one datapoint a minute, a 10% canary of ~20 requests/s, and the
// state machine's window (everything since the release began, growing a
// minute per analysis). GetMetricData answers, as CloudWatch does, the
// datapoints of the whole minutes inside the asked window, oldest first, and
// none for a minute without requests. It holds nothing before the release, so
// the latency history read for the hour before the window is empty: the
// paired test alone, as for a brand-new service.
//
// The p-values are the sequential tests' always-valid ones (test/unit/canary/sequential.test.ts
// checks their formulas by hand); the default policy's level is 0.01, nine tenths of it to the
// sequence of windows both revisions share, two shares to latency and one to the error rate:
// 0.006 and 0.003.

const { cloudwatch: cloudwatchMock, check } = useCanaryCheck();

const RELEASE_STARTED = Date.parse('2026-11-21T10:00:00Z');
const MINUTE = 60_000;

/** Per minute since the release began: requests, 5xx answers and the Average TargetResponseTime (s). */
interface Side {
  requests: number[];
  errors: number[];
  latency: number[];
}

const BASELINE: Side = {
  requests: [1083, 1071, 1090, 1076, 1088, 1079],
  errors: [1, 0, 2, 1, 0, 1],
  latency: [0.181, 0.178, 0.183, 0.18, 0.179, 0.182],
};
const HEALTHY: Side = {
  requests: [118, 123, 117, 121, 119, 124],
  errors: [0, 0, 1, 0, 0, 0],
  latency: [0.1795, 0.184, 0.177, 0.1815, 0.1835, 0.1785],
};
// The healthy canary's traffic, 200 ms slower in every minute.
const SLOWER: Side = { ...HEALTHY, latency: [0.383, 0.379, 0.385, 0.378, 0.384, 0.381] };
// No value of a canary's minute equals a baseline's: the exact distribution applies (as in R and SciPy).
const FAILING_30: Side = { ...HEALTHY, errors: [36, 37, 35, 36, 35, 38] };

/** CloudWatch holding these per-minute datapoints for the canary and baseline target groups. */
function cloudwatchWith(canary: Side, baseline: Side) {
  cloudwatchMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const first = Math.ceil(((input.StartTime as Date).getTime() - RELEASE_STARTED) / MINUTE);
    const last = Math.floor(((input.EndTime as Date).getTime() - RELEASE_STARTED) / MINUTE);
    const minutes = (values: number[]) => values.slice(Math.max(0, first), Math.max(0, last));
    const sides = { canary, baseline };
    const MetricDataResults: MetricDataResult[] = (input.MetricDataQueries ?? []).map(({ Id = '' }) => {
      const [metric, side] = Id.split('_') as ['requests' | 'errors' | 'latency', 'canary' | 'baseline' | 'history'];
      // The history is the baseline target group's, read before the release.
      const series = side === 'history' ? baseline : sides[side];
      return { Id, Values: minutes(series[metric]), StatusCode: 'Complete' };
    });
    return { MetricDataResults };
  });
}

/** The analyses the state machine makes a minute apart, each over everything since the release began. */
async function analysesEachMinute(minutes: number): Promise<CanaryCheckResult[]> {
  const results: CanaryCheckResult[] = [];
  let history: AnalysisHistory = { failures: 0, inconclusive: 0, extended: 0 };
  let release = { analyses: 0 };
  for (let minute = 1; minute <= minutes; minute++) {
    const result = await check({
      loadBalancer: 'app/web/50dc6c495c0c9188',
      canaryTargetGroup: 'targetgroup/web-green/73e2d6bc24d8a067',
      baselineTargetGroup: 'targetgroup/web-blue/943f017f100becff',
      // What {since: release start} resolves to at this minute.
      window: {
        start: new Date(RELEASE_STARTED).toISOString(),
        end: new Date(RELEASE_STARTED + minute * MINUTE).toISOString(),
      },
      periodSeconds: 60,
      policy: DEFAULT_ANALYSIS,
      history,
      release,
    });
    results.push(result);
    ({ history, release } = result);
  }
  return results;
}

const latencyOf = (result: CanaryCheckResult | undefined) => result?.metrics.find((m) => m.metric === 'latency');

describe('canary-check at AWS timescales (60 s periods, minutes of bake)', () => {
  it('passes a healthy canary from its first minute: latency is pending, not inconclusive, until six periods a side', async () => {
    cloudwatchWith(HEALTHY, BASELINE);

    const results = await analysesEachMinute(6);

    expect(results.map((r) => [r.verdict, r.decision])).toEqual(Array(6).fill(['pass', 'continue']));
    expect(results.map((r) => r.history)).toEqual(Array(6).fill({ failures: 0, inconclusive: 0, extended: 0 }));
    // The release's analyses are counted across them, whatever step each is in.
    expect(results.map((r) => r.release.analyses)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.map((r) => latencyOf(r)?.verdict)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'pass',
    ]);
    // 5 pairs: the largest Λ any values give is (1 + 5τ²)^2 ≈ 150, so p never falls below 0.006.
    expect(results[4]?.reason).toBe(
      'error rate 0.2% (1/598) vs 0.1% (4/5408), p = 1: no significant increase; latency pending: traffic so far spans 5 canary and 5 baseline periods, too few to show a difference at p < 0.006',
    );
    expect(latencyOf(results[5])).toMatchObject({ verdict: 'pass', alpha: 0.006, p: expect.closeTo(1, 9) });
  });

  it('fails a canary 200 ms slower once the periods can show it: at the sixth minute', async () => {
    cloudwatchWith(SLOWER, BASELINE);

    const results = await analysesEachMinute(6);

    expect(results.map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'fail']);
    expect(results.map((r) => r.decision)).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
      'continue',
      'rollback',
    ]);
    expect(latencyOf(results[5])).toMatchObject({ verdict: 'fail', p: expect.closeTo(0.001256, 6) });
    expect(results[5]?.reason).toBe(
      'latency median 382 ms vs 181 ms (6 vs 6 periods), p = 0.0013, +202 ms (+112%) > +20% and +5 ms allowed',
    );
  });

  it('fails a canary answering 30% errors at the first minute, latency still pending', async () => {
    cloudwatchWith(FAILING_30, BASELINE);

    const [first] = await analysesEachMinute(1);

    expect(first).toMatchObject({ verdict: 'fail', decision: 'rollback' });
    expect(first?.metrics[0]).toMatchObject({ verdict: 'fail', p: expect.closeTo(0, 20) });
    expect(latencyOf(first)?.verdict).toBe('pending');
    expect(first?.reason).toBe(
      'error rate 30.5% (36/118) vs 0.1% (1/1083), p < 0.0001, +30.4 points > 1 point allowed',
    );
  });

  it('judges latency missing, not pending, once the traffic spans enough periods', async () => {
    cloudwatchWith({ ...HEALTHY, latency: HEALTHY.latency.slice(0, 1) }, BASELINE);

    const results = await analysesEachMinute(6);

    expect(results.map((r) => latencyOf(r)?.verdict)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'no-data',
    ]);
    // No rollout status given: the step still bakes, so the release waits for the data (never rolls back for it).
    expect(results.map((r) => r.decision)).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
      'continue',
      'wait',
    ]);
    expect(results[5]?.history).toEqual({ failures: 0, inconclusive: 1, extended: 0 });
  });
});
