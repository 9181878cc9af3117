import { describe, expect, it } from '@jest/globals';
import type { TrafficAnswer, TrafficCounts } from '../../../sandbox/traffic/generator.ts';
import { judgeBadCanary, judgeGoodCanary } from '../../../scripts/demo/canary-scenarios.ts';
import { type CanaryScenarioResult, trafficSpan } from '../../../scripts/lib/canary.ts';
import type { AnalysisSummary } from '../../../src/cli/canary-progress.ts';

// The demo's canary rows pass only when what the issue promises happened: the
// bad canary rolled back by a failing analysis while the stable revision
// served everyone else, the good one promoted on passing analyses and then
// serving everyone.

const STABLE = 'demo/shop:v1';
const BAD = 'demo/shop:v2-err30';
const GOOD = 'demo/shop:v3';

const answer = (at: number, image: string, status = '200'): TrafficAnswer => ({ at, image, status });

/** A scenario result as canaryScenario builds it from these answers (one time unit = 1 ms, factor 0.05, 60 s interval). */
function resultOf(outcome: string, canaryImage: string, answers: TrafficAnswer[]): CanaryScenarioResult {
  const counts: TrafficCounts = {
    sent: answers.length,
    byStatus: {},
    byImage: {},
    skipped: 0,
    firstAnswerAt: {},
    lastAnswerAt: {},
    answers,
  };
  for (const { at, image } of answers) {
    counts.firstAnswerAt[image] ??= at;
    counts.lastAnswerAt[image] = at;
  }
  const first = counts.firstAnswerAt[canaryImage] ?? 0;
  const last = counts.lastAnswerAt[canaryImage] ?? 0;
  const ms = last - first;
  return {
    outcome,
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:release:demo',
    canaryImage,
    stableImages: [STABLE],
    intervalSeconds: 60,
    counts,
    exposure: { ...trafficSpan(answers, canaryImage, first, last), ms, nominalSeconds: ms / 50, intervals: ms / 3000 },
  };
}

const FAIL: AnalysisSummary = {
  state: 'CanaryCheck',
  verdict: 'fail',
  decision: 'rollback',
  reason: 'error rate 26.7% (4/15) vs 0.0% (0/199), p < 0.0001',
};
const PASS: AnalysisSummary = {
  state: 'CanaryCheck',
  verdict: 'pass',
  decision: 'continue',
  reason: 'no significant increase',
};
const INCONCLUSIVE: AnalysisSummary = {
  state: 'CanaryCheck',
  verdict: 'inconclusive',
  decision: 'wait',
  reason: 'latency not judged',
};

// v1 serves, the bad canary answers 1 in 10 (one 500) from t=100 to t=400, then v1 alone again.
const badTraffic = (stableDuring = '200', after = '200') => [
  answer(0, STABLE),
  answer(100, BAD),
  answer(150, STABLE, stableDuring),
  answer(200, BAD, '500'),
  answer(300, STABLE),
  answer(400, BAD),
  answer(500, STABLE, after),
  answer(600, STABLE),
];

describe('the bad canary row', () => {
  it('passes when a failing analysis rolled it back and v1 served every other request, and says what decided', () => {
    const row = judgeBadCanary({ result: resultOf('ROLLED_BACK', BAD, badTraffic()), analyses: [PASS, FAIL] }, '(d)');
    expect(row.ok).toBe(true);
    expect(row.observed).toContain('ROLLED_BACK by analysis');
    expect(row.observed).toContain('users: 5 requests, 1 errors (20.0%), 60.0% by canary');
    expect(row.observed).toContain('then 2 × v1 (0 errors)');
    expect(row.note).toBe(`decided by analysis fail → rollback: ${FAIL.reason}`);
  });

  it('fails when the rollback came from anything but a failing analysis (inconclusive past the limit, none at all)', () => {
    for (const analyses of [[INCONCLUSIVE, INCONCLUSIVE], []]) {
      expect(judgeBadCanary({ result: resultOf('ROLLED_BACK', BAD, badTraffic()), analyses }, '(d)').ok).toBe(false);
    }
  });

  it('fails when the release was not rolled back', () => {
    expect(judgeBadCanary({ result: resultOf('SUCCEEDED', BAD, badTraffic()), analyses: [FAIL] }, '(d)').ok).toBe(
      false,
    );
  });

  it('fails when v1 failed a user while the canary served, or after the rollback', () => {
    for (const traffic of [badTraffic('503'), badTraffic('200', '500')]) {
      expect(judgeBadCanary({ result: resultOf('ROLLED_BACK', BAD, traffic), analyses: [FAIL] }, '(d)').ok).toBe(false);
    }
  });

  it("passes when v1 failed users only at its own noise (the demo's stable serves 0.5% errors), while the canary served and after", () => {
    const noisy = [
      ...badTraffic(),
      ...Array.from({ length: 99 }, (_, i) => answer(150 + i, STABLE)),
      answer(250, STABLE, '500'),
      ...Array.from({ length: 99 }, (_, i) => answer(700 + i, STABLE)),
      answer(800, STABLE, '500'),
    ].sort((a, b) => a.at - b.at);
    const row = judgeBadCanary({ result: resultOf('ROLLED_BACK', BAD, noisy), analyses: [FAIL] }, '(d)');
    expect(row.ok).toBe(true);
    expect(row.observed).toContain('then 102 × v1 (1 errors)');
  });

  it("passes when the test listener's smoke check rolled it back before any user met it (no analysis ran)", () => {
    const result = resultOf('ROLLED_BACK', BAD, [answer(0, STABLE), answer(100, STABLE)]);
    delete result.exposure;
    const row = judgeBadCanary({ result, analyses: [] }, '(d)');
    expect(row.ok).toBe(true);
    expect(row.observed).toContain("ROLLED_BACK by the test listener's smoke check");
    expect(row.observed).toContain('the canary met no production traffic');
  });

  it('fails when the canary never met production traffic', () => {
    const result = resultOf('ROLLED_BACK', BAD, [answer(0, STABLE), answer(100, STABLE)]);
    delete result.exposure;
    expect(judgeBadCanary({ result, analyses: [FAIL] }, '(d)').ok).toBe(false);
  });
});

// v1 and v3 share production until t=300, then v3 alone.
const goodTraffic = (after = '200') => [
  answer(0, STABLE),
  answer(100, GOOD),
  answer(200, STABLE),
  answer(300, STABLE),
  answer(400, GOOD, after),
  answer(500, GOOD),
];

describe('the good canary row', () => {
  it('passes when promoted with the last analysis passing (a wait for more data on the way is fine)', () => {
    const row = judgeGoodCanary(
      { result: resultOf('SUCCEEDED', GOOD, goodTraffic()), analyses: [PASS, INCONCLUSIVE, PASS] },
      '(e)',
    );
    expect(row.ok).toBe(true);
    expect(row.observed).toContain('SUCCEEDED, 3 analyses (2 pass, 1 inconclusive)');
    expect(row.observed).toContain('then 2 × v3 (0 errors)');
  });

  it('fails without a passing last analysis, or with any failing one', () => {
    for (const analyses of [[], [PASS, INCONCLUSIVE], [FAIL, PASS]]) {
      expect(judgeGoodCanary({ result: resultOf('SUCCEEDED', GOOD, goodTraffic()), analyses }, '(e)').ok).toBe(false);
    }
  });

  it('fails when the release did not succeed, or v3 failed a user once it served alone', () => {
    expect(judgeGoodCanary({ result: resultOf('ROLLED_BACK', GOOD, goodTraffic()), analyses: [PASS] }, '(e)').ok).toBe(
      false,
    );
    expect(
      judgeGoodCanary({ result: resultOf('SUCCEEDED', GOOD, goodTraffic('500')), analyses: [PASS] }, '(e)').ok,
    ).toBe(false);
  });
});
