import { describe, expect, it } from '@jest/globals';
import { decideAfterAnalysis, NO_HISTORY } from '../../../src/canary/decision.ts';

const policy = { failureLimit: 1, maxInconclusive: 3, onInconclusive: 'rollback' as const };

describe('decideAfterAnalysis', () => {
  it('continues after a pass', () => {
    expect(decideAfterAnalysis('pass', { failures: 0, inconclusive: 2 }, policy)).toEqual({
      decision: 'continue',
      history: { failures: 0, inconclusive: 0 },
    });
  });

  it('rolls back at the first failure by default', () => {
    expect(decideAfterAnalysis('fail', NO_HISTORY, policy).decision).toBe('rollback');
  });

  it('analyses again until failureLimit failures, counted across passes', () => {
    const limit = { ...policy, failureLimit: 2 };
    const first = decideAfterAnalysis('fail', NO_HISTORY, limit);
    expect(first).toEqual({ decision: 'wait', history: { failures: 1, inconclusive: 0 } });
    const between = decideAfterAnalysis('pass', first.history, limit);
    expect(decideAfterAnalysis('fail', between.history, limit).decision).toBe('rollback');
  });

  it('waits maxInconclusive intervals in a row, then applies onInconclusive', () => {
    let history = NO_HISTORY;
    const decisions: string[] = [];
    for (let i = 0; i < 4; i++) {
      const next = decideAfterAnalysis('inconclusive', history, { ...policy, onInconclusive: 'ask' });
      decisions.push(next.decision);
      history = next.history;
    }
    expect(decisions).toEqual(['wait', 'wait', 'wait', 'ask']);
    expect(decideAfterAnalysis('inconclusive', { failures: 0, inconclusive: 3 }, policy).decision).toBe('rollback');
  });

  it('counts inconclusive analyses in a row: a conclusive one starts the count again', () => {
    const afterFail = decideAfterAnalysis('fail', { failures: 0, inconclusive: 3 }, { ...policy, failureLimit: 5 });
    expect(afterFail.history.inconclusive).toBe(0);
    expect(decideAfterAnalysis('inconclusive', afterFail.history, policy).decision).toBe('wait');
  });
});
