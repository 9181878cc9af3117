import { describe, expect, it, jest } from '@jest/globals';
import { type WatchRolloutPorts, watchRollout } from '../../../src/release/index.ts';

// CheckRollout in one task: the look (waitStable's), and when it says an analysis
// is due, the analysis (canary-check's) and its notice (notify's), the state
// handed back whole with stability, analysis and notice replaced.

const state = {
  request: {
    releaseId: 'shop-staging-1',
    target: {
      loadBalancer: { productionListenerRuleArn: 'app/shop/1' },
      analysis: { intervalSeconds: 60, onNoData: 'ask' },
      slackChannel: '#releases',
    },
  },
  executionId: 'exec-1',
  claim: { status: 'ACQUIRED', leaseSeconds: 900 },
  deployment: { targetGroups: { canary: 'tg/green', baseline: 'tg/blue' } },
  analysis: {
    step: { history: { failures: 0, inconclusive: 1, extended: 0 }, since: 'a', startedAt: 'b' },
    release: { analyses: 2 },
  },
  notice: { delivered: true, ts: '1.2', channel: 'C1' },
};
const window = { since: '2026-12-06T08:00:00.000Z' };
const result = {
  verdict: 'pass',
  decision: 'wait',
  reason: 'scripted pass',
  window: { start: '2026-12-06T08:00:00.000Z', end: '2026-12-06T08:05:00.000Z' },
  metrics: [{ metric: 'error-rate', verdict: 'pass' }],
  history: { failures: 0, inconclusive: 0, extended: 0 },
  release: { analyses: 3 },
};

function ports(next: string) {
  const look = jest.fn(async (_query: unknown) => ({
    status: 'IN_PROGRESS' as const,
    deploymentStatus: 'IN_PROGRESS',
    checkedAt: '2026-12-06T08:05:00.000Z',
    next: next as never,
    waitSeconds: 60,
    ...(next === 'analyse' ? { window } : {}),
  }));
  const analyse = jest.fn(async (_request: unknown) => result);
  const report = jest.fn(async (_notice: unknown) => ({ delivered: true, ts: '1.2', channel: 'C1' }));
  return { look, analyse, report } satisfies WatchRolloutPorts;
}

describe('watchRollout', () => {
  it('only looks when no analysis is due, handing the state back with the look as stability', async () => {
    const p = ports('wait');
    const out = await watchRollout({ look: { q: 1 }, state }, p);
    expect(p.look).toHaveBeenCalledWith({ q: 1 });
    expect(p.analyse).not.toHaveBeenCalled();
    expect(p.report).not.toHaveBeenCalled();
    expect(out).toEqual({ ...state, stability: expect.objectContaining({ next: 'wait', waitSeconds: 60 }) });
  });

  it('analyses over the windows the look chose and posts the analysis, as CanaryCheck and NotifyAnalysis did', async () => {
    const p = ports('analyse');
    const out = await watchRollout({ look: {}, state }, p);
    expect(p.analyse).toHaveBeenCalledWith({
      loadBalancer: 'app/shop/1',
      canaryTargetGroup: 'tg/green',
      baselineTargetGroup: 'tg/blue',
      window,
      policy: state.request.target.analysis,
      history: state.analysis.step.history,
      release: state.analysis.release,
      rolloutStatus: 'IN_PROGRESS',
      // The release reads its target's metrics as itself (the role session's name, where it has a role).
      releaseId: state.request.releaseId,
    });
    const analysis = {
      verdict: 'pass',
      decision: 'wait',
      reason: 'scripted pass',
      window: result.window,
      metrics: result.metrics,
      release: { analyses: 3 },
      step: { history: result.history, since: result.window.end, startedAt: result.window.start },
    };
    expect(p.report).toHaveBeenCalledWith({
      event: 'analysis',
      request: state.request,
      executionId: 'exec-1',
      analysis,
      notice: state.notice,
    });
    expect(out).toEqual({
      ...state,
      stability: expect.objectContaining({ next: 'analyse' }),
      analysis,
      notice: {
        delivered: true,
        ts: '1.2',
        channel: 'C1',
      },
    });
  });

  it('fails as the analysis fails (the state machine rolls back), having posted nothing', async () => {
    const p = ports('analyse');
    p.analyse.mockRejectedValueOnce(Object.assign(new Error('metrics unreadable'), { name: 'CanaryCheckFailedError' }));
    await expect(watchRollout({ look: {}, state }, p)).rejects.toThrow('metrics unreadable');
    expect(p.report).not.toHaveBeenCalled();
  });
});
