import { describe, expect, it } from '@jest/globals';
import {
  scaleAnalysisRequest,
  scaledPeriod,
  scaleRolloutQuery,
  timeScaled,
} from '../../../sandbox/lambda/analysis-time.ts';
import { canaryCheckRequestSchema } from '../../../src/canary/check-schema.ts';
import { DEFAULT_ANALYSIS } from '../../../src/canary/policy.ts';
import { fakeLambdaContext } from '../../support/fake-lambda-context.ts';

// The sandbox hands canary-check its analysis in the sandbox's time: a
// nominal 60-second window and period at time factor 0.05 read 3 real seconds
// at 1-second periods, with the sample size that window holds.

const request = {
  loadBalancer: 'app/sandbox-shop/9a7f6111211be7b6',
  canaryTargetGroup: 'targetgroup/sandbox-shop-alt/b2d9306d7824ed34',
  baselineTargetGroup: 'targetgroup/sandbox-shop/61a6cfbc560a3ff9',
  window: { seconds: 60 },
  policy: DEFAULT_ANALYSIS,
};

describe('scaleAnalysisRequest', () => {
  it("reads a nominal minute as the sandbox's 3 seconds, at 1-second periods, with a twentieth of the requests", () => {
    const scaled = scaleAnalysisRequest(request, 0.05);
    expect(scaled).toMatchObject({ window: { seconds: 3 }, periodSeconds: 1, policy: { minimumRequests: 5 } });
    // Still an input canary-check accepts.
    expect(canaryCheckRequestSchema.safeParse(scaled).success).toBe(true);
    expect(request.window.seconds).toBe(60);
  });

  it('picks the longest period GetMetricData serves within the scaled one', () => {
    expect([60, 300, 600, 3600].map((period) => scaledPeriod(period, 0.05))).toEqual([1, 10, 30, 180]);
    expect(scaledPeriod(60, 1)).toBe(60);
    expect(scaledPeriod(60, 0.001)).toBe(1);
  });

  it('leaves a window given by its start and end, time factor 1 and malformed input alone', () => {
    const between = { ...request, window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' } };
    expect(scaleAnalysisRequest(between, 0.05)).toMatchObject({ window: between.window, periodSeconds: 1 });
    expect(scaleAnalysisRequest(request, 1)).toBe(request);
    expect(scaleAnalysisRequest('nonsense', 0.05)).toBe('nonsense');
  });

  it('calls the loaded handler with the scaled request, loading it once', async () => {
    const seen: unknown[] = [];
    let loads = 0;
    const handler = timeScaled(
      async () => {
        loads++;
        return async (event) => {
          seen.push(event);
          return 'judged';
        };
      },
      scaleAnalysisRequest,
      0.05,
    );
    expect(await handler(request, fakeLambdaContext('canaryCheck'))).toBe('judged');
    await handler(request, fakeLambdaContext('canaryCheck'));
    expect(loads).toBe(1);
    expect(seen[0]).toMatchObject({ window: { seconds: 3 } });
  });

  it("puts wait-stable's analysis interval in the sandbox's time, and nothing else of its query", () => {
    const query = { mode: 'deploy', deadline: 'x', native: { intervalSeconds: 60, since: '2026-12-01T00:00:00Z' } };
    expect(scaleRolloutQuery(query, 0.05)).toEqual({ ...query, native: { ...query.native, intervalSeconds: 3 } });
    // The poll between looks too: CheckRollout's waitSeconds are then the sandbox's seconds.
    const polled = { ...query, native: { ...query.native, pollSeconds: 15, longestWaitSeconds: 60 } };
    expect(scaleRolloutQuery(polled, 0.05)).toEqual({
      ...query,
      native: { ...query.native, intervalSeconds: 3, pollSeconds: 1, longestWaitSeconds: 3 },
    });
    // A rolling release's query has no analysis interval.
    expect(scaleRolloutQuery({ mode: 'deploy' }, 0.05)).toEqual({ mode: 'deploy' });
  });
});
