import { SUCCEEDED_AFTER_STABLE } from '../support/release-paths.ts';
import { CANARY } from './canary-script.ts';
import { pushEvent } from './events.ts';
import { answerSmoke, record, useReleaseMachine, uuid } from './release-machine.ts';

// A hotfix (`/release deploy … --hotfix`, `/release rollback`) on a canary
// target (catalog service `shop`: canary 10% baking 1 minute), through the real
// state-machines/release.asl.yml: ECS gets bake times of 0, every hook is
// continued without analysis, and the test-traffic smoke checks, the final
// smoke test and the rollback still apply. The request is the one a push plans
// with `hotfix: true`, as chat-deploy.ts sets it.

const harness = useReleaseMachine({ locks: ['shop#staging'] });

let pushes = 500;
/** A release of demo/shop made a hotfix (unless `hotfix` is false), every analysis due at once; canary-check must not run. */
async function release({ hotfix = true, beforeTask }: { hotfix?: boolean; beforeTask?: (state: string) => void } = {}) {
  pushes++;
  const analysed: unknown[] = [];
  const event = pushEvent({
    id: uuid(pushes),
    repository: 'demo/shop',
    tag: `v${pushes}`,
    digest: `sha256:${String(pushes).padStart(64, 'b')}`,
  });
  const run = await harness.run(event, {
    beforeTask: (state, input) => {
      if (state === 'Deploy' && hotfix) (input as { request: { hotfix?: boolean } }).request.hotfix = true;
      if (state === 'CheckRollout') (input as { native: { since: string } }).native.since = '2000-01-01T00:00:00.000Z';
      beforeTask?.(state);
    },
    stubTasks: {
      CanaryCheck: (input) => {
        analysed.push(input);
        throw Object.assign(new Error('a hotfix is never analysed'), { name: 'UnexpectedAnalysis' });
      },
    },
  });
  return { run, analysed, releaseId: `shop-staging-${uuid(pushes)}` };
}

const calls = (command: string, from: number) =>
  harness.ecs.calls.slice(from).filter((call) => call.command === command);

describe('a hotfix on a canary target', () => {
  it('deploys with bake times of 0, smoke-tests test traffic, continues every hook unanalysed and succeeds', async () => {
    const from = harness.ecs.calls.length;
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysed, releaseId } = await release();

    expect(run.status).toBe('SUCCEEDED');
    expect(analysed).toEqual([]);
    expect(run.states).not.toContain('CanaryCheck');
    expect(run.states.slice(run.states.indexOf('PrepareRollout'))).toEqual([
      'PrepareRollout',
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // SCALE_UP
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'TestSmoke', 'Advance'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // 10% shifting, twice
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // 100%
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // bake
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'],
      ...SUCCEEDED_AFTER_STABLE,
    ]);
    const [update] = calls('UpdateService', from);
    expect(update?.input).toMatchObject({
      deploymentConfiguration: {
        strategy: 'CANARY',
        bakeTimeInMinutes: 0,
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
      },
    });
    expect(calls('ContinueServiceDeployment', from).map((call) => (call.input as { action: string }).action)).toEqual([
      'CONTINUE',
      'CONTINUE',
      'CONTINUE',
      'CONTINUE',
    ]);
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it('rolls back when its final smoke test fails', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL'], ['IN_PROGRESS', 'SUCCESSFUL']], native: CANARY });

    // The test listener's checks pass; production's, after the rollout, fail.
    const { run, analysed, releaseId } = await release({
      beforeTask: (state) => state === 'SmokeTest' && answerSmoke(500),
    });

    expect(run.status).toBe('FAILED');
    expect(analysed).toEqual([]);
    // Rolled back and verified back on the previous revision (CheckRollback), recorded as such.
    expect(run.states).toEqual(
      expect.arrayContaining(['TestSmoke', 'SmokeTest', 'Rollback', 'CheckRollback', 'RolledBack']),
    );
    expect(run.states).not.toContain('CanaryCheck');
    expect(await record(releaseId)).toMatchObject({ outcome: 'ROLLED_BACK', reason: expect.stringMatching(/smoke/i) });
  });

  it('rolls back before any production traffic when its test-traffic smoke checks fail', async () => {
    answerSmoke(500);
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, releaseId } = await release();

    expect(run.status).toBe('FAILED');
    expect(run.states.slice(run.states.indexOf('TestSmoke'), run.states.indexOf('TestSmoke') + 2)).toEqual([
      'TestSmoke',
      'Rollback',
    ]);
    expect(await record(releaseId)).toMatchObject({ outcome: 'ROLLED_BACK' });
  });

  it('is analysed as ever when it is not a hotfix (the same script, canary-check runs)', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysed } = await release({ hotfix: false });

    expect(analysed.length).toBeGreaterThan(0);
    expect(run.states).toContain('CanaryCheck');
  });
});
