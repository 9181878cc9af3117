import { alwaysDue, CANARY, scriptedAnalysis, type Verdict } from './canary-script.ts';
import { pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import { expireLock, machine, record, useReleaseMachine, uuid } from './release-machine.ts';

// A canary short of data (catalog service `shop`: canary 10%, one minute of
// extension under its old name maxInconclusive): while its step bakes the
// release waits; at the paused hook after the bake it extends an interval at a
// time; then the policy's onNoData decides (ask: canary-ask.test.ts). The
// scripted rollout (CANARY) has two analyses while the 10% step bakes, then waits at its hook.

useReleaseMachine();
let harness: Harness;
beforeAll(() => {
  harness = machine();
});
afterEach(async () => {
  await expireLock('shop#staging');
});

let pushes = 900;
async function release(verdicts: Verdict[], onNoData: 'proceed' | 'rollback' | 'ask') {
  pushes++;
  const analysis = scriptedAnalysis(verdicts);
  const event = pushEvent({
    id: uuid(pushes),
    repository: 'demo/shop',
    tag: `v${pushes}`,
    digest: `sha256:${String(pushes).padStart(64, 'd')}`,
  });
  // The catalog's shop asks; these tests give its planned policy another onNoData.
  const withPolicy = (state: string, input: unknown) => {
    alwaysDue(state, input);
    if (state === 'CanaryCheck') (input as { policy: { onNoData: string } }).policy.onNoData = onNoData;
  };
  const run = await harness.run(event, { beforeTask: withPolicy, stubTasks: { CanaryCheck: analysis.stub } });
  return { run, analysis, releaseId: `shop-staging-${uuid(pushes)}` };
}

const hookAnswers = () =>
  harness.ecs.calls
    .filter((call) => call.command === 'ContinueServiceDeployment')
    .map((call) => (call.input as { action: string }).action);

const ANALYSED = ['CanaryCheck', 'NotifyAnalysis', 'AnalysisDecision'];

/** Where a state is entered for the nth time (1-based); -1 if it is not. */
const nth = (states: string[], state: string, n: number): number =>
  states.map((entered, index) => (entered === state ? index : -1)).filter((index) => index >= 0)[n - 1] ?? -1;

describe('a canary short of data', () => {
  it('extends its paused hook an interval, then passes and advances: never rolled back for want of data', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysis } = await release(['inconclusive', 'inconclusive', 'inconclusive', 'pass'], 'rollback');

    expect(run.status).toBe('SUCCEEDED');
    expect(analysis.inputs.slice(0, 4).map((input) => input.rolloutStatus)).toEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'PAUSED',
      'PAUSED',
    ]);
    // Counted as extension only at the hook.
    expect(analysis.inputs.slice(0, 4).map((input) => input.history?.extended)).toEqual([0, 0, 0, 1]);
    // The third analysis, at the hook: the bake extends (the hook stays paused, the rollout is watched again).
    const third = nth(run.states, 'CanaryCheck', 3);
    expect(run.states.slice(third, third + 5)).toEqual([...ANALYSED, 'WaitForRollout', 'CheckRollout']);
    // The fourth passes and continues the hook.
    const fourth = nth(run.states, 'CanaryCheck', 4);
    expect(run.states.slice(fourth, fourth + 4)).toEqual([...ANALYSED, 'Advance']);
    expect(run.states).not.toContain('Rollback');
    expect(hookAnswers().every((answer) => answer === 'CONTINUE')).toBe(true);
  });

  it('proceeds as after a pass when onNoData says proceed, once the extension is spent', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysis, releaseId } = await release(['inconclusive'], 'proceed');

    expect(run.status).toBe('SUCCEEDED');
    // Two while baking (wait), one at the hook (extend), the next proceeds: the hook is continued.
    const proceeded = analysis.inputs.findIndex((input) => input.history?.extended === 1);
    expect(proceeded).toBe(3);
    const fourth = nth(run.states, 'CanaryCheck', 4);
    expect(run.states.slice(fourth, fourth + 4)).toEqual([...ANALYSED, 'Advance']);
    expect(run.states).not.toContain('AskToContinue');
    expect(run.states).not.toContain('Rollback');
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it('rolls back as inconclusive, not failed, when onNoData says rollback', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, releaseId } = await release(['inconclusive'], 'rollback');

    expect(run.status).toBe('FAILED');
    const decided = run.states.indexOf('NoDataRollback');
    expect(run.states.slice(decided - 3, decided + 2)).toEqual([...ANALYSED, 'NoDataRollback', 'Rollback']);
    expect(run.states).not.toContain('AnalysisFailed');
    expect(hookAnswers().at(-1)).toBe('ROLLBACK');
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringMatching(/^CanaryAnalysisInconclusive: scripted inconclusive/),
    });
  });
});
