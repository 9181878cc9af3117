import { EndlessReleaseError, UnknownDecisionError } from '../../../scripts/canary-lab/errors.ts';
import type { LabJudge } from '../../../scripts/canary-lab/judge.ts';
import { runScenario } from '../../../scripts/canary-lab/run.ts';
import { parseScenario } from '../../../scripts/canary-lab/scenario.ts';
import { mixSeed, TrialTraffic } from '../../../scripts/canary-lab/traffic.ts';

const side = (errorRate: number, latencyMs = 100) => ({ errorRate, latencyMs, latencyJitter: 0.15 });
const scenario = (fields: Record<string, unknown>) =>
  parseScenario({ trials: 40, seed: 7, trafficPerMinute: 6000, baseline: side(0.01), canary: side(0.01), ...fields });

// A judge that answers the same decision every time, counting the windows it was asked about.
const always = (decision: string, verdict = 'pass'): LabJudge & { windows: unknown[] } => {
  const windows: unknown[] = [];
  return {
    name: `always-${decision}`,
    resetsAtNextStep: true,
    windows,
    async analyse(request) {
      windows.push(request.window);
      return { decision, verdict, state: undefined };
    },
  };
};

describe('canary lab', () => {
  it('gives the same figures for the same seed', async () => {
    const first = await runScenario({ scenario: scenario({ canary: side(0.02) }) });
    const again = await runScenario({ scenario: scenario({ canary: side(0.02) }) });
    expect(again).toEqual(first);
  });

  it('gives each trial and each seed its own traffic, the same every time', () => {
    const shape = scenario({});
    const minutes = (seed: number, trial: number) => {
      const traffic = new TrialTraffic(shape, mixSeed(seed, trial));
      traffic.advanceTo(10, 0.1);
      return [traffic.canary, traffic.baseline, traffic.beforeRelease(10)];
    };
    expect(minutes(7, 0)).toEqual(minutes(7, 0));
    expect(minutes(7, 1)).not.toEqual(minutes(7, 0));
    expect(minutes(8, 0)).not.toEqual(minutes(7, 0));
  });

  it('promotes most healthy canaries and rolls back a canary failing 10 points more, on failed analyses', async () => {
    const healthy = await runScenario({ scenario: scenario({}) });
    const failing = await runScenario({ scenario: scenario({ canary: side(0.11) }) });
    // Most, not all: the judgement before issue 16 rolls back about a fifth of them (the lab's first finding).
    expect(healthy.promoted).toBeGreaterThan(healthy.trials / 2);
    expect(failing.rolledBackOnFailure).toBe(failing.trials);
    expect(failing.analysesToRollback.mean).toBeLessThanOrEqual(2);
  });

  it('rolls back a canary whose latency is three times its baseline', async () => {
    const slow = await runScenario({ scenario: scenario({ canary: side(0.01, 300) }) });
    expect(slow.rolledBackOnFailure).toBe(slow.trials);
  });

  it('analyses each interval of the canary step over the whole release, then the final bake against the stable revision before it', async () => {
    const judge = always('continue');
    const summary = await runScenario({ scenario: scenario({}), judge, trials: 1 });
    expect(summary.promoted).toBe(1);
    // The default canary: 10 minutes at 5%, then a 10-minute bake with all traffic (analyses at 1–9 minutes).
    expect(judge.windows).toHaveLength(19);
    expect(judge.windows[9]).toEqual({ since: new Date('2026-01-01T00:00:00Z') });
    expect(judge.windows[10]).toEqual({
      since: new Date('2026-01-01T00:10:00Z'),
      baselineBefore: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('counts a rollback by the verdict behind it, and an ask as asked', async () => {
    const noData = await runScenario({ scenario: scenario({}), judge: always('rollback', 'inconclusive'), trials: 3 });
    const asked = await runScenario({ scenario: scenario({}), judge: always('ask', 'inconclusive'), trials: 3 });
    expect(noData).toMatchObject({ rolledBack: 3, rolledBackNoData: 3, rolledBackOnFailure: 0 });
    expect(noData.analysesToRollback).toEqual({ mean: 1, p95: 1 });
    expect(asked).toMatchObject({ asked: 3, rolledBack: 0, promoted: 0 });
  });

  it('extends the bake while a judge waits at the hook, and stops a judge that never ends it', async () => {
    let calls = 0;
    const patient: LabJudge = {
      name: 'patient',
      resetsAtNextStep: true,
      async analyse() {
        calls++;
        return { decision: calls <= 12 ? 'wait' : 'continue', verdict: 'inconclusive', state: undefined };
      },
    };
    const summary = await runScenario({ scenario: scenario({}), judge: patient, trials: 1 });
    expect(summary).toMatchObject({ promoted: 1, extended: 1 });
    await expect(runScenario({ scenario: scenario({}), judge: always('wait'), trials: 1 })).rejects.toThrow(
      EndlessReleaseError,
    );
  });

  it('stops with an error naming a decision the state machine has no branch for', async () => {
    // `extend` is canary-check's (the state machine watches the rollout again); `promote` is no decision of its.
    await expect(runScenario({ scenario: scenario({}), judge: always('promote'), trials: 1 })).rejects.toThrow(
      new UnknownDecisionError("judge always-promote decided 'promote', which the state machine has no branch for"),
    );
  });
});
