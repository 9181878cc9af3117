import { pushReleaseKey } from '../../src/release/record.ts';
import { alwaysDue, nthAnalysis, scriptedAnalysis, type Verdict, watching } from './canary-script.ts';
import { expireLock, record, useReleaseMachine } from './release-machine.ts';
import { canaryService, startSandboxHarness } from './sandbox-harness.ts';

// A canary short of data (catalog service `shop`: canary 10%, one minute of
// extension under its old name maxInconclusive): while its step bakes the
// release waits; at the paused hook after the bake it extends an interval at a
// time; then the policy's onNoData decides (ask: canary-ask.test.ts). ECS is
// the sandbox's: the 10% step bakes for as many analyses as its pace allows,
// then waits at its hook.

const harness = useReleaseMachine({
  start: (environment) => startSandboxHarness(environment, [canaryService('shop')]),
});
afterEach(async () => {
  await expireLock('shop#staging');
});

let pushes = 900;
async function release(verdicts: Parameters<typeof scriptedAnalysis>[0], onNoData: 'proceed' | 'rollback' | 'ask') {
  pushes++;
  const analysis = scriptedAnalysis(verdicts);
  const pushed = await harness.push('demo/shop', `v${pushes}`);
  // The catalog's shop asks; these tests give its planned policy another onNoData.
  const withPolicy = (state: string, input: unknown) => {
    alwaysDue(state, input);
    if (state === 'CanaryCheck') (input as { policy: { onNoData: string } }).policy.onNoData = onNoData;
  };
  const watch = watching(harness, analysis.stub, (request) => withPolicy('CanaryCheck', request));
  const run = await harness.run(pushed.event, { beforeTask: withPolicy, stubTasks: { CheckRollout: watch } });
  // ECR's event of the image's first push: the release is keyed by its digest.
  return {
    run,
    analysis,
    releaseId: `shop-staging-${pushReleaseKey(pushed.imageDigest)}`,
    nth: (n: number) => nthAnalysis(run.states, watch.analysed, n),
  };
}

const hookAnswers = () => harness.requests('ContinueServiceDeployment').map((input) => input.action);

/** Inconclusive while the step bakes and at the hook until extended `extensions` times, then a pass. */
const passAfter =
  (extensions: number) =>
  (input: { rolloutStatus?: string; history?: { extended?: number } }): Verdict =>
    input.rolloutStatus === 'PAUSED' && (input.history?.extended ?? 0) >= extensions ? 'pass' : 'inconclusive';

/** How many analyses ran while the step baked (IN_PROGRESS), before the first at the paused hook. */
const whileBaking = (inputs: { rolloutStatus?: string }[]) =>
  inputs.findIndex((input) => input.rolloutStatus === 'PAUSED');

const ANALYSED = ['CheckRollout', 'RolloutDecision'];

describe('a canary short of data', () => {
  it('extends its paused hook an interval, then passes and advances: never rolled back for want of data', async () => {
    const { run, analysis, nth } = await release(passAfter(1), 'rollback');

    expect(run.status).toBe('SUCCEEDED');
    const baking = whileBaking(analysis.inputs);
    expect(baking).toBeGreaterThan(0);
    expect(analysis.inputs.slice(0, baking + 2).map((input) => input.rolloutStatus)).toEqual([
      ...Array(baking).fill('IN_PROGRESS'),
      'PAUSED',
      'PAUSED',
    ]);
    // Counted as extension only at the hook.
    expect(analysis.inputs.slice(0, baking + 2).map((input) => input.history?.extended)).toEqual([
      ...Array(baking).fill(0),
      0,
      1,
    ]);
    // The first analysis at the hook: the bake extends (the hook stays paused, the rollout is watched again).
    const atHook = nth(baking + 1);
    expect(run.states.slice(atHook, atHook + 4)).toEqual([...ANALYSED, 'WaitForRollout', 'CheckRollout']);
    // The next passes and continues the hook.
    const next = nth(baking + 2);
    expect(run.states.slice(next, next + 3)).toEqual([...ANALYSED, 'Advance']);
    expect(run.states).not.toContain('Rollback');
    expect(hookAnswers().every((answer) => answer === 'CONTINUE')).toBe(true);
  });

  it('proceeds as after a pass when onNoData says proceed, once the extension is spent', async () => {
    const { run, analysis, releaseId, nth } = await release(['inconclusive'], 'proceed');

    expect(run.status).toBe('SUCCEEDED');
    // Those while baking (wait), one at the hook (extend), the next proceeds: the hook is continued.
    const baking = whileBaking(analysis.inputs);
    expect(baking).toBeGreaterThan(0);
    const proceeded = analysis.inputs.findIndex((input) => input.history?.extended === 1);
    expect(proceeded).toBe(baking + 1);
    const next = nth(proceeded + 1);
    expect(run.states.slice(next, next + 3)).toEqual([...ANALYSED, 'Advance']);
    expect(run.states).not.toContain('AskToContinue');
    expect(run.states).not.toContain('Rollback');
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it('rolls back as inconclusive, not failed, when onNoData says rollback', async () => {
    const { run, releaseId } = await release(['inconclusive'], 'rollback');

    expect(run.status).toBe('FAILED');
    const decided = run.states.indexOf('NoDataRollback');
    expect(run.states.slice(decided - 2, decided + 2)).toEqual([...ANALYSED, 'NoDataRollback', 'Rollback']);
    expect(run.states).not.toContain('AnalysisFailed');
    expect(hookAnswers().at(-1)).toBe('ROLLBACK');
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringMatching(/^CanaryAnalysisInconclusive: scripted inconclusive/),
    });
  });
});
