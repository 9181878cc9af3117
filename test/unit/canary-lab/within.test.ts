import type { TrialOutcome } from '../../../scripts/canary-lab/release.ts';
import { rolledBackWithin, summarise, summaryOf } from '../../../scripts/canary-lab/run.ts';

const rolledBack = (analyses: number): TrialOutcome => ({
  outcome: 'rolledBack',
  analyses,
  extended: false,
  onFailure: true,
});
const promoted: TrialOutcome = { outcome: 'promoted', analyses: 20, extended: false };

describe('canary lab: rolled back by the n-th analysis', () => {
  const result = summarise([rolledBack(5), rolledBack(1), promoted, rolledBack(3)]);

  it('keeps each rollback’s count of analyses, sorted', () => {
    expect(result.rollbackAnalyses).toEqual([1, 3, 5]);
  });

  it('gives the share of all releases (promoted ones too) rolled back by the n-th analysis', () => {
    expect([0, 1, 2, 3, 5, 10].map((n) => rolledBackWithin(result, n))).toEqual([0, 0.25, 0.25, 0.5, 0.75, 0.75]);
  });

  it('leaves the counts out of the JSON line, whose fields the issue names', () => {
    expect(Object.keys(summaryOf(result))).toEqual([
      'trials',
      'promoted',
      'rolledBack',
      'rolledBackOnFailure',
      'rolledBackNoData',
      'asked',
      'extended',
      'analysesToRollback',
    ]);
  });
});
