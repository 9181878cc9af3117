import { pushReleaseKey } from '../../src/release/record.ts';
import { lastPolls, SUCCEEDED_AFTER_STABLE } from '../support/release-paths.ts';
import { alwaysDue, watching } from './canary-script.ts';
import { answerSmoke, record, useReleaseMachine } from './release-machine.ts';
import { canaryService, startSandboxHarness } from './sandbox-harness.ts';

// A hotfix (`/release deploy … --hotfix`, `/release rollback`) on a canary
// target (catalog service `shop`: canary 10% baking 1 minute), through the real
// state-machines/release.asl.yml: ECS gets bake times of 0, every hook is
// continued without analysis, and the test-traffic smoke checks, the final
// smoke test and the rollback still apply. The request is the one a push plans
// with `hotfix: true`, as chat-deploy.ts sets it. ECS is the sandbox's: shop
// runs behind a load balancer with test and production listeners, and ECS
// moves the canary through its stages, pausing at the hooks the deploy sets.

const harness = useReleaseMachine({
  locks: ['shop#staging'],
  start: (environment) => startSandboxHarness(environment, [canaryService('shop')]),
});

let pushes = 500;
/** A release of demo/shop made a hotfix (unless `hotfix` is false), every analysis due at once; canary-check must not run. */
async function release({ hotfix = true, beforeTask }: { hotfix?: boolean; beforeTask?: (state: string) => void } = {}) {
  pushes++;
  const analysed: unknown[] = [];
  const pushed = await harness.push('demo/shop', `v${pushes}`);
  const run = await harness.run(pushed.event, {
    beforeTask: (state, input) => {
      if (state === 'Deploy' && hotfix) (input as { request: { hotfix?: boolean } }).request.hotfix = true;
      alwaysDue(state, input);
      beforeTask?.(state);
    },
    stubTasks: {
      // CheckRollout's look and notice as ever, its analysis (canary-check's) refused.
      CheckRollout: watching(harness, (input) => {
        analysed.push(input);
        throw Object.assign(new Error('a hotfix is never analysed'), { name: 'UnexpectedAnalysis' });
      }),
    },
  });
  // ECR's event of the image's first push: the release is keyed by its digest.
  return { run, analysed, releaseId: `shop-staging-${pushReleaseKey(pushed.imageDigest)}` };
}

const requests = (operation: string, from: number) => harness.requests(operation).slice(from);

describe('a hotfix on a canary target', () => {
  it('deploys with bake times of 0, smoke-tests test traffic, continues every hook unanalysed and succeeds', async () => {
    const updatesFrom = harness.requests('UpdateService').length;
    const continuesFrom = harness.requests('ContinueServiceDeployment').length;

    const { run, analysed, releaseId } = await release();

    expect(run.status).toBe('SUCCEEDED');
    expect(analysed).toEqual([]);
    const rollout = run.states.slice(run.states.indexOf('PrepareRollout'));
    expect(lastPolls(rollout)).toEqual([
      'PrepareRollout',
      // Scaled up, test traffic shifted: the test listener's smoke checks, then on.
      ...['CheckRollout', 'RolloutDecision', 'TestSmoke', 'Advance'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'], // before the 10%
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'], // before the rest
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'], // after 100%
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // bake time, then SUCCESSFUL
      ...SUCCEEDED_AFTER_STABLE,
    ]);
    const [update] = requests('UpdateService', updatesFrom);
    expect(update).toMatchObject({
      deploymentConfiguration: {
        strategy: 'CANARY',
        bakeTimeInMinutes: 0,
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
      },
    });
    expect(requests('ContinueServiceDeployment', continuesFrom).map((input) => input.action)).toEqual([
      'CONTINUE',
      'CONTINUE',
      'CONTINUE',
      'CONTINUE',
    ]);
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it('rolls back when its final smoke test fails', async () => {
    // The test listener's checks pass; production's, after the rollout, fail.
    const { run, analysed, releaseId } = await release({
      beforeTask: (state) => state === 'SmokeTest' && answerSmoke(500),
    });

    expect(run.status).toBe('FAILED');
    expect(analysed).toEqual([]);
    // Rolled back and verified back on the previous revision (AwaitRollback), recorded as such.
    expect(run.states).toEqual(
      expect.arrayContaining(['TestSmoke', 'SmokeTest', 'Rollback', 'AwaitRollback', 'RolledBack']),
    );
    expect(await record(releaseId)).toMatchObject({ outcome: 'ROLLED_BACK', reason: expect.stringMatching(/smoke/i) });
  });

  it('rolls back before any production traffic when its test-traffic smoke checks fail', async () => {
    answerSmoke(500);

    const { run, releaseId } = await release();

    expect(run.status).toBe('FAILED');
    expect(run.states.slice(run.states.indexOf('TestSmoke'), run.states.indexOf('TestSmoke') + 2)).toEqual([
      'TestSmoke',
      'Rollback',
    ]);
    expect(await record(releaseId)).toMatchObject({ outcome: 'ROLLED_BACK' });
  });

  it('is analysed as ever when it is not a hotfix (the same service, canary-check runs)', async () => {
    const { analysed } = await release({ hotfix: false });

    expect(analysed.length).toBeGreaterThan(0);
  });
});
