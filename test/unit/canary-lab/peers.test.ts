import { argoRolloutsJudge } from '../../../scripts/bench/peers/argo-rollouts.ts';
import { flaggerJudge } from '../../../scripts/bench/peers/flagger.ts';
import { kayentaJudge } from '../../../scripts/bench/peers/kayenta.ts';
import { runScenario } from '../../../scripts/canary-lab/run.ts';
import { parseScenario } from '../../../scripts/canary-lab/scenario.ts';

const side = (errorRate: number, latencyMs = 100) => ({ errorRate, latencyMs, latencyJitter: 0.15 });
const scenario = (baseline: ReturnType<typeof side>, canary: ReturnType<typeof side>) =>
  parseScenario({ trials: 20, seed: 5, trafficPerMinute: 6000, baseline, canary });

describe("the bench's reference judges", () => {
  it('Flagger: a canary under 99 % success fails every check and is rolled back at the fifth', async () => {
    const summary = await runScenario({ scenario: scenario(side(0.05), side(0.05)), judge: flaggerJudge });
    expect(summary).toMatchObject({ rolledBackOnFailure: 20, analysesToRollback: { mean: 5, p95: 5 } });
    const clean = await runScenario({ scenario: scenario(side(0.001), side(0.001)), judge: flaggerJudge });
    expect(clean.promoted).toBe(20);
  });

  it('Argo Rollouts: measures every 5 minutes and fails the analysis at the third measurement under 95 %', async () => {
    const summary = await runScenario({ scenario: scenario(side(0.01), side(0.2)), judge: argoRolloutsJudge });
    expect(summary).toMatchObject({ rolledBackOnFailure: 20, analysesToRollback: { mean: 15, p95: 15 } });
  });

  it('Kayenta: a metric classified High scores 50, below marginal, and fails the canary', async () => {
    const slow = await runScenario({ scenario: scenario(side(0.01), side(0.01, 300)), judge: kayentaJudge });
    expect(slow.rolledBackOnFailure).toBe(20);
    const same = await runScenario({ scenario: scenario(side(0.01), side(0.01)), judge: kayentaJudge });
    expect(same.promoted).toBeGreaterThanOrEqual(16);
  });
});
