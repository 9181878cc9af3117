import { describe, expect, it } from '@jest/globals';
import { judgeNoisyCanaries, type NoisyCanary } from '../../../scripts/demo/noisy-canaries.ts';
import type { AnalysisSummary } from '../../../src/cli/canary-progress.ts';

// The demo's row (i) passes only when every healthy canary was promoted and the -err5 one rolled back.

const analysis = (verdict: string, decision: string): AnalysisSummary => ({
  state: 'CanaryCheck',
  verdict,
  decision,
  reason: `${verdict} reason`,
});
const canary = (version: number, outcome: string, analyses = [analysis('pass', 'continue')]): NoisyCanary => ({
  tag: `v${version}-err0.5-lat20-jit30`,
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:release:v${version}`,
  outcome,
  analyses,
  seconds: 30,
});
const healthy = (outcomes: string[]) => outcomes.map((outcome, i) => canary(10 + i, outcome));
const bad = { ...canary(20, 'ROLLED_BACK', [analysis('fail', 'rollback')]), tag: 'v20-err5-lat20-jit30' };

describe('the noisy canaries row', () => {
  it('passes when all healthy canaries were promoted and the bad one rolled back, and says what decided', () => {
    const row = judgeNoisyCanaries({ healthy: healthy(Array(10).fill('SUCCEEDED')), bad }, '(i)');
    expect(row.ok).toBe(true);
    expect(row.observed).toBe(
      '10 promoted, 0 rolled back (10 pass); v20-err5-lat20-jit30 ROLLED_BACK (last analysis: fail)',
    );
    expect(row.note).toBe('v20-err5-lat20-jit30 decided by analysis fail → rollback: fail reason');
  });

  it('fails on a single false rollback, naming it, or when the bad canary was promoted', () => {
    const outcomes = [...Array(9).fill('SUCCEEDED'), 'ROLLED_BACK'];
    const row = judgeNoisyCanaries({ healthy: healthy(outcomes), bad }, '(i)');
    expect(row.ok).toBe(false);
    expect(row.note).toContain('false rollback v19-err0.5-lat20-jit30: analysis pass → continue: pass reason');
    const promoted = judgeNoisyCanaries(
      { healthy: healthy(['SUCCEEDED']), bad: { ...bad, outcome: 'SUCCEEDED' } },
      '(i)',
    );
    expect(promoted.ok).toBe(false);
    expect(judgeNoisyCanaries({ healthy: [], bad }, '(i)').ok).toBe(false);
  });
});
