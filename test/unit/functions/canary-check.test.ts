import {
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_ANALYSIS } from '../../../src/canary/policy.ts';
import { CanaryCheckFailedError, InvalidInputError, TransientError } from '../../../src/platform/errors.ts';
import { awsError } from '../../support/aws-fixture.ts';
import { useCanaryCheck } from '../../support/canary-check.ts';

const { cloudwatch: cloudwatchMock, check } = useCanaryCheck();

const event = (extra: Record<string, unknown> = {}) => ({
  loadBalancer: 'app/web/50dc6c495c0c9188',
  canaryTargetGroup: 'targetgroup/web-green/73e2d6bc24d8a067',
  baselineTargetGroup: 'targetgroup/web-blue/943f017f100becff',
  window: { start: '2026-11-21T10:00:00Z', end: '2026-11-21T10:05:00Z' },
  policy: DEFAULT_ANALYSIS,
  ...extra,
});

/** GetMetricData answers with these values per query id (one page). */
function metricsRead(values: Record<string, number[]>) {
  const MetricDataResults: MetricDataResult[] = Object.entries(values).map(([Id, Values]) => ({
    Id,
    Values,
    StatusCode: 'Complete',
  }));
  cloudwatchMock.on(GetMetricDataCommand).resolves({ MetricDataResults });
}

const STEADY = [0.176, 0.181, 0.179, 0.182, 0.183];

describe('canary-check', () => {
  it('rolls back a canary failing 30% of requests, with the numbers that decided', async () => {
    metricsRead({
      requests_canary: [60, 61, 60, 61, 60],
      errors_canary: [18, 19, 18, 18, 18],
      latency_canary: STEADY,
      requests_baseline: [60, 59, 60, 59, 60],
      errors_baseline: [1],
      latency_baseline: STEADY,
    });
    const result = await check(event());
    expect(result).toMatchObject({
      verdict: 'fail',
      decision: 'rollback',
      reason: 'error rate 30.1% (91/302) vs 0.3% (1/298), p < 0.0001, +29.8 points > 1 point allowed',
      history: { failures: 1, inconclusive: 0 },
      window: { start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T10:05:00.000Z' },
    });
    expect(result.metrics[0]).toMatchObject({
      metric: 'error-rate',
      canary: { requests: 302, errors: 91 },
      baseline: { requests: 298, errors: 1 },
    });
    // State data holds figures, never the datapoints.
    expect(JSON.stringify(result)).not.toContain('0.176');
  });

  it('continues after a healthy canary, reading both target groups in one call and the baseline latency of the hour before in another', async () => {
    metricsRead({
      requests_canary: [60, 60, 60, 60, 60],
      latency_canary: STEADY,
      requests_baseline: [60, 60, 60, 60, 60],
      latency_baseline: STEADY,
    });
    const result = await check(event());
    expect(result).toMatchObject({ verdict: 'pass', decision: 'continue' });
    const calls = cloudwatchMock.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    const [window, history] = calls;
    expect(history?.MetricDataQueries?.map((query) => query.Id)).toEqual(['latency_history']);
    expect(history?.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions).toContainEqual({
      Name: 'TargetGroup',
      Value: event().baselineTargetGroup,
    });
    expect(history?.EndTime).toEqual(window?.StartTime);
    expect(history?.StartTime).toEqual(new Date(Date.parse(result.window.start) - 60 * 60_000));
  });

  it('waits for more data while the step bakes, extends its paused hook, then applies onNoData', async () => {
    metricsRead({ requests_canary: [12], requests_baseline: [40] });
    const policy = { ...DEFAULT_ANALYSIS, maxExtensionMinutes: 3 };
    await expect(check(event({ policy, rolloutStatus: 'IN_PROGRESS' }))).resolves.toMatchObject({
      verdict: 'inconclusive',
      decision: 'wait',
      history: { failures: 0, inconclusive: 1, extended: 0 },
    });
    const extended = await check(
      event({ policy, rolloutStatus: 'PAUSED', history: { failures: 0, inconclusive: 5, extended: 1 } }),
    );
    expect(extended).toMatchObject({ decision: 'extend', history: { failures: 0, inconclusive: 6, extended: 2 } });
    expect(extended.reason).toMatch(/; bake extended \(2 of 3 min\)$/);
    const last = await check(
      event({ policy, rolloutStatus: 'PAUSED', history: { failures: 0, inconclusive: 7, extended: 3 } }),
    );
    expect(last).toMatchObject({ verdict: 'inconclusive', decision: 'ask' });
    expect(last.reason).toBe(
      'error rate not judged: 12 canary and 40 baseline requests, 100 needed on each side; no verdict after the bake and 3 min more',
    );
    const proceed = await check(
      event({
        policy: { ...policy, onNoData: 'proceed' },
        rolloutStatus: 'PAUSED',
        history: { failures: 0, inconclusive: 7, extended: 3 },
      }),
    );
    expect(proceed).toMatchObject({ verdict: 'inconclusive', decision: 'continue' });
    expect(proceed.reason).toMatch(/: proceeding, as onNoData says$/);
  });

  it('reads a policy planned under the old names (onInconclusive, maxInconclusive)', async () => {
    metricsRead({ requests_canary: [12], requests_baseline: [40] });
    const { maxExtensionMinutes: _extension, onNoData: _onNoData, ...rest } = DEFAULT_ANALYSIS;
    const policy = { ...rest, maxInconclusive: 0, onInconclusive: 'rollback' };
    await expect(check(event({ policy, rolloutStatus: 'PAUSED' }))).resolves.toMatchObject({ decision: 'rollback' });
  });

  it('analyses the last `seconds` up to now', async () => {
    metricsRead({});
    const before = Date.now();
    const result = await check(event({ window: { seconds: 120 } }));
    const start = Date.parse(result.window.start);
    const end = Date.parse(result.window.end);
    expect(end - start).toBe(120_000);
    expect(end).toBeGreaterThanOrEqual(before);
    const input = cloudwatchMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date(start));
  });

  it('analyses everything `since` a time up to now (a window that grows with each analysis)', async () => {
    metricsRead({});
    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    const before = Date.now();
    const result = await check(event({ window: { since } }));
    expect(result.window.start).toBe(since);
    expect(Date.parse(result.window.end)).toBeGreaterThanOrEqual(before);
    const input = cloudwatchMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date(since));
  });

  it('reads the stable revision before the release over as long a window, once all traffic is on the canary', async () => {
    cloudwatchMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const side = input.MetricDataQueries?.[0]?.Id?.endsWith('_baseline') ? 'baseline' : 'canary';
      const values =
        side === 'canary'
          ? {
              requests: [1200, 1190, 1210, 1205, 1195, 1200],
              errors: [0, 1, 0, 0, 0, 0],
              latency: [0.39, 0.4, 0.41, 0.395, 0.405, 0.4],
            }
          : { requests: [1180, 1200, 1190, 1210, 1185, 1190], errors: [1, 0, 0, 1, 0, 0], latency: [...STEADY, 0.18] };
      return {
        MetricDataResults: (input.MetricDataQueries ?? []).map(({ Id = '' }) => ({
          Id,
          Values: values[Id.split('_')[0] as keyof typeof values],
          StatusCode: 'Complete',
        })),
      };
    });
    const result = await check(
      event({
        window: { since: new Date(Date.now() - 5 * 60_000).toISOString(), baselineBefore: '2026-11-21T10:00:00Z' },
      }),
    );
    const calls = cloudwatchMock.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(3);
    const baselineCall = calls.find((input) => input.MetricDataQueries?.[0]?.Id?.endsWith('_baseline'));
    // The latency's noise is read over the hour before the stable revision's window.
    const historyCall = calls.find((input) => input.MetricDataQueries?.[0]?.Id === 'latency_history');
    expect(historyCall?.EndTime).toEqual(baselineCall?.StartTime);
    expect(baselineCall?.EndTime).toEqual(new Date('2026-11-21T10:00:00Z'));
    const canaryLength = Date.parse(result.window.end) - Date.parse(result.window.start);
    expect(baselineCall?.StartTime).toEqual(new Date(Date.parse('2026-11-21T10:00:00Z') - canaryLength));
    expect(baselineCall?.MetricDataQueries?.every((query) => query.Id?.endsWith('_baseline'))).toBe(true);
    expect(result.window.baseline).toEqual({
      start: new Date(Date.parse('2026-11-21T10:00:00Z') - canaryLength).toISOString(),
      end: '2026-11-21T10:00:00.000Z',
    });
    // 6 canary periods each about twice as slow as the baseline's, the stable revision's hour before
    // (this fake's 6 steady values) showing how little its latency moves: far beyond the largest
    // evidence 6 pairs alone give (p ≈ 0.00125).
    expect(result).toMatchObject({ verdict: 'fail', decision: 'rollback' });
    expect(result.metrics[1]).toMatchObject({ metric: 'latency', verdict: 'fail', alpha: 0.0005 });
    expect(result.metrics[1]?.p).toBeLessThan(1e-5);
    expect(result.reason).toMatch(
      /^all traffic on the new revision, against the stable revision before the release: latency median 400 ms vs 181 ms/,
    );
    await expect(
      check(event({ window: { since: '2026-11-21T10:00:00Z', baselineBefore: '2026-11-21T10:05:00Z' } })),
    ).rejects.toThrow(/baseline's window must end/);
  });

  it('refuses bad input with InvalidInputError naming the field, reading nothing', async () => {
    await expect(
      check(event({ canaryTargetGroup: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1' })),
    ).rejects.toThrow(/targetgroup\/<name>\/<id>[\s\S]*at canaryTargetGroup/);
    await expect(check(event({ policy: { ...DEFAULT_ANALYSIS, confidence: 95 } }))).rejects.toThrow(InvalidInputError);
    await expect(check(event({ periodSeconds: 45 }))).rejects.toThrow(/multiple of 60 seconds[\s\S]*at periodSeconds/);
    await expect(check(event({ baselineTargetGroup: 'targetgroup/web-green/73e2d6bc24d8a067' }))).rejects.toThrow(
      /must differ/,
    );
    await expect(
      check(event({ window: { start: '2026-11-21T10:05:00Z', end: '2026-11-21T10:00:00Z' } })),
    ).rejects.toThrow(/must end after it starts/);
    const custom = [
      {
        name: 'orders',
        namespace: 'Shop',
        metricName: 'OrdersPlaced',
        dimensions: [{ name: 'Service', value: 'web' }],
        statistic: 'Sum',
        direction: 'decrease-is-bad',
        maxChangeRatio: 0.1,
      },
    ];
    await expect(
      check(event({ policy: { ...DEFAULT_ANALYSIS, metrics: { ...DEFAULT_ANALYSIS.metrics, custom } } })),
    ).rejects.toThrow(/orders has no dimension valued \{\{targetGroup\}\}/);
    await expect(check({})).rejects.toThrow(InvalidInputError);
    expect(cloudwatchMock.calls()).toHaveLength(0);
  });

  it('fails with TransientError when throttled, and CanaryCheckFailedError when refused', async () => {
    cloudwatchMock.on(GetMetricDataCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    await expect(check(event())).rejects.toBeInstanceOf(TransientError);
    cloudwatchMock.on(GetMetricDataCommand).rejects(awsError('InvalidParameterValueException', 'bad period'));
    await expect(check(event())).rejects.toBeInstanceOf(CanaryCheckFailedError);
  });
});
