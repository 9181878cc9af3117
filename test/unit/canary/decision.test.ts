import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type AnalysisHistory, decideAfterAnalysis, NO_HISTORY } from '../../../src/canary/decision.ts';

const policy = { failureLimit: 1, maxExtensionMinutes: 3, onNoData: 'rollback' as const, intervalSeconds: 60 };
const baking = { paused: false };
const paused = { paused: true };

describe('decideAfterAnalysis', () => {
  it('continues after a pass', () => {
    expect(decideAfterAnalysis('pass', { failures: 0, inconclusive: 2, extended: 2 }, policy, paused)).toEqual({
      decision: 'continue',
      history: { failures: 0, inconclusive: 0, extended: 0 },
    });
  });

  it('rolls back at the first failure by default, whether baking or paused', () => {
    expect(decideAfterAnalysis('fail', NO_HISTORY, policy, baking).decision).toBe('rollback');
    expect(decideAfterAnalysis('fail', NO_HISTORY, policy, paused).decision).toBe('rollback');
  });

  it('analyses again until failureLimit failures, counted across passes', () => {
    const limit = { ...policy, failureLimit: 2 };
    const first = decideAfterAnalysis('fail', NO_HISTORY, limit, baking);
    expect(first).toEqual({ decision: 'wait', history: { failures: 1, inconclusive: 0, extended: 0 } });
    const between = decideAfterAnalysis('pass', first.history, limit, baking);
    expect(decideAfterAnalysis('fail', between.history, limit, baking).decision).toBe('rollback');
  });

  it('never gives up for want of data while the step still bakes', () => {
    let history: AnalysisHistory = NO_HISTORY;
    for (let i = 0; i < 100; i++) {
      const next = decideAfterAnalysis('inconclusive', history, policy, baking);
      expect(next.decision).toBe('wait');
      history = next.history;
    }
    expect(history).toEqual({ failures: 0, inconclusive: 100, extended: 0 });
  });

  it('extends a paused step an interval at a time up to maxExtensionMinutes, then applies onNoData', () => {
    for (const onNoData of ['ask', 'proceed', 'rollback'] as const) {
      let history: AnalysisHistory = { failures: 0, inconclusive: 10, extended: 0 };
      const decisions: string[] = [];
      for (let i = 0; i < 4; i++) {
        const next = decideAfterAnalysis('inconclusive', history, { ...policy, onNoData }, paused);
        decisions.push(next.decision);
        history = next.history;
      }
      expect(decisions).toEqual(['extend', 'extend', 'extend', onNoData === 'proceed' ? 'continue' : onNoData]);
      expect(history.extended).toBe(3);
    }
  });

  it('counts extension in minutes: two-minute intervals extend half as many times', () => {
    const slow = { ...policy, intervalSeconds: 120, maxExtensionMinutes: 4 };
    const once = decideAfterAnalysis('inconclusive', { failures: 0, inconclusive: 1, extended: 1 }, slow, paused);
    expect(once.decision).toBe('extend');
    expect(decideAfterAnalysis('inconclusive', once.history, slow, paused).decision).toBe('rollback');
  });

  it('applies onNoData at once at a paused hook when no extension is allowed', () => {
    const none = { ...policy, maxExtensionMinutes: 0, onNoData: 'ask' as const };
    expect(decideAfterAnalysis('inconclusive', NO_HISTORY, none, paused).decision).toBe('ask');
  });

  it('counts inconclusive analyses in a row: a conclusive one starts the counts again', () => {
    const afterFail = decideAfterAnalysis(
      'fail',
      { failures: 0, inconclusive: 3, extended: 3 },
      { ...policy, failureLimit: 5 },
      paused,
    );
    expect(afterFail.history).toEqual({ failures: 1, inconclusive: 0, extended: 0 });
    expect(decideAfterAnalysis('inconclusive', afterFail.history, policy, paused).decision).toBe('extend');
  });

  it('never rolls back for want of data unless the policy says so', () => {
    const verdicts = fc.array(fc.record({ paused: fc.boolean() }), { maxLength: 80 });
    fc.assert(
      fc.property(verdicts, fc.constantFrom('ask' as const, 'proceed' as const), (moments, onNoData) => {
        let history: AnalysisHistory = NO_HISTORY;
        for (const moment of moments) {
          const next = decideAfterAnalysis('inconclusive', history, { ...policy, onNoData }, moment);
          expect(next.decision).not.toBe('rollback');
          history = next.history;
        }
      }),
    );
  });
});
