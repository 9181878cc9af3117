import { pushReleaseKey } from '../../src/release/record.ts';
import { lastPolls, ROLLBACK_VERIFIED, STABILITY_WAIT, SUCCEEDED_AFTER_STABLE } from '../support/release-paths.ts';
import { lock, record, THROUGH_DEPLOY, until, useReleaseMachine } from './release-machine.ts';
import { startSandboxHarness } from './sandbox-harness.ts';

// The ASL's Retry blocks (the one `transient` block every retried Task shares:
// TransientError and Lambda's own service errors), path by path: a Task that
// fails a few times with a retriable error and then succeeds, one whose
// retries run out (its Catch decides), and one whose error is not retriable.
// ECS and ECR are the sandbox's; AWS's throttling comes from its fault rules,
// and the SDK's own retries (three attempts a call) meet it before a Task does.

const harness = useReleaseMachine({
  start: (environment) => startSandboxHarness(environment, [{ service: 'web', repository: 'demo/web' }]),
});

/** Pushes demo/web:v`n`: ECR's push event and the release id it makes (an image's first push: keyed by its digest). */
async function push(n: number) {
  const pushed = await harness.push('demo/web', `v${n}`);
  return { ...pushed, releaseId: `web-staging-${pushReleaseKey(pushed.imageDigest)}` };
}

/** How many requests of `operation` one SDK call makes when each is throttled: its three attempts. */
const SDK_ATTEMPTS = 3;
const updates = () => harness.requests('UpdateService').length;

const RELEASED = [...THROUGH_DEPLOY, ...STABILITY_WAIT, ...SUCCEEDED_AFTER_STABLE];
// The ASL's MaxAttempts: retries after the first attempt.
const MAX_RETRIES = 5;

describe('release state machine: retries', () => {
  it.each([
    ['Plan', 'Lambda.TooManyRequestsException', 1, 41],
    ['Claim', 'Lambda.ServiceException', 2, 42],
    ['Deploy', 'Lambda.AWSLambdaException', 3, 43],
    ['AwaitStability', 'Lambda.SdkClientException', 2, 45],
    ['SmokeTest', 'TransientError', 2, 46],
    ['FinishSucceeded', 'Lambda.TooManyRequestsException', MAX_RETRIES, 47],
  ])('retries %s failing with %s %i time(s), then releases', async (state, error, times, n) => {
    const updatesBefore = updates();
    const { event, releaseId } = await push(n);

    const run = await harness.run(event, { failTask: { state, error, times } });

    expect(run.status).toBe('SUCCEEDED');
    expect(lastPolls(run.states)).toEqual(RELEASED);
    expect(run.retried).toEqual(Array(times).fill(state));
    expect(updates() - updatesBefore).toBe(1);
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(await lock()).not.toHaveProperty('holder');
  });

  it('retries a stability wait whose first look (DescribeServiceDeployments) is throttled, then releases', async () => {
    const { event, releaseId } = await push(48);
    // Two looks' calls throttled, after the SDK's own retries. The reconcile waits until the
    // third look (which stores the wait again): it would otherwise take some of the throttled calls.
    const throttled = { operation: 'DescribeServiceDeployments', fault: 'throttle', rate: 1 };
    harness.faults.add({ service: 'ecs', ...throttled, times: 2 * SDK_ATTEMPTS });
    harness.pauseReconcile(true);
    let looks = 0;

    const run = await harness.run(event, {
      beforeTask: (state) => {
        if (state === 'AwaitStability' && ++looks === 3) harness.pauseReconcile(false);
      },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(lastPolls(run.states)).toEqual(RELEASED);
    expect(run.retried).toEqual(['AwaitStability', 'AwaitStability']);
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it('retries a deploy whose UpdateService is throttled: the retry deploys, once', async () => {
    const updatesBefore = updates();
    const deploymentsBefore = (await harness.deployments('web')).length;
    const { event, releaseId, imageUri } = await push(49);
    // One call throttled, after the SDK's own retries.
    harness.faults.add({ service: 'ecs', operation: 'UpdateService', fault: 'throttle', rate: 1, times: SDK_ATTEMPTS });

    const run = await harness.run(event);

    expect(run.status).toBe('SUCCEEDED');
    expect(lastPolls(run.states)).toEqual(RELEASED);
    expect(run.retried).toEqual(['Deploy']);
    // The throttled call plus the retry's: one deployment started.
    expect(updates() - updatesBefore).toBe(SDK_ATTEMPTS + 1);
    expect((await harness.deployments('web')).length - deploymentsBefore).toBe(1);
    expect(await harness.liveImage('web')).toBe(imageUri);
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it("retries a deploy that finds another invocation deploying the same release, and takes that one's result", async () => {
    const updatesBefore = updates();
    const { event, releaseId } = await push(51);
    let first: Promise<unknown> | undefined;

    const run = await harness.run(event, {
      beforeTask: async (state, input) => {
        if (state !== 'Deploy') return;
        if (!first) {
          // An earlier invocation (one Step Functions stopped waiting for) is still running, inside
          // UpdateService: ECS answers it a second later.
          harness.faults.add({
            service: 'ecs',
            operation: 'UpdateService',
            fault: 'latency',
            latencyMs: 1000,
            rate: 1,
            times: 1,
          });
          first = harness.invoke('deploy', input);
          await until(() => updates() - updatesBefore === 1, 'the first invocation to deploy');
          return;
        }
        await first;
      },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(lastPolls(run.states)).toEqual(RELEASED);
    expect(run.retried).toEqual(['Deploy']);
    expect(updates() - updatesBefore).toBe(1);
    const [newest] = await harness.deployments('web');
    expect(await first).toMatchObject({ serviceDeploymentArn: newest });
    expect(await record(releaseId)).toMatchObject({ outcome: 'SUCCEEDED', serviceDeploymentArn: newest });
  });

  it('ends as a failed release, the service untouched, when Lambda keeps throttling deploy', async () => {
    const updatesBefore = updates();
    const { event, releaseId } = await push(52);

    const run = await harness.run(event, { failTask: { state: 'Deploy', error: 'Lambda.TooManyRequestsException' } });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.retried).toEqual(Array(MAX_RETRIES).fill('Deploy'));
    expect(run.states).toEqual([
      ...THROUGH_DEPLOY.slice(0, -1),
      'NotifyFailed',
      'FinishFailed',
      'Failed',
      'Summarize',
      'AnyFailed',
      'ReleaseFailed',
    ]);
    expect(updates()).toBe(updatesBefore);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('Lambda.TooManyRequestsException'),
    });
    expect(await lock()).not.toHaveProperty('holder');
  });

  it("rolls back when the stability wait's look stays throttled after deploy", async () => {
    const before = (await harness.service('web'))?.taskDefinition;
    const { event, releaseId } = await push(53);
    // Every look's calls throttled (the first attempt and five retries), after the SDK's own retries.
    const throttled = { operation: 'DescribeServiceDeployments', fault: 'throttle', rate: 1 };
    harness.faults.add({ service: 'ecs', ...throttled, times: (1 + MAX_RETRIES) * SDK_ATTEMPTS });
    // The reconcile waits for the rollback: it would otherwise take some of the throttled calls.
    harness.pauseReconcile(true);

    const run = await harness.run(event, {
      beforeTask: (state) => {
        if (state === 'Rollback') harness.pauseReconcile(false);
      },
    });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.retried).toEqual(Array(MAX_RETRIES).fill('AwaitStability'));
    expect(lastPolls(run.states)).toEqual([
      ...THROUGH_DEPLOY,
      'AwaitStability',
      ...ROLLBACK_VERIFIED,
      'FinishRolledBack',
      'RolledBack',
      'Summarize',
      'AnyFailed',
      'ReleaseFailed',
    ]);
    expect((await harness.service('web'))?.taskDefinition).toBe(before);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringContaining('ThrottlingException'),
    });
  });

  it('does not retry an error that is not transient: the Catch takes it at once', async () => {
    const { event } = await push(54);

    const run = await harness.run(event, { failTask: { state: 'Claim', error: 'Lambda.Unknown' } });

    expect(run.status).toBe('FAILED');
    expect(run.retried).toEqual([]);
    expect(run.states).toEqual([
      'Planned',
      'Plan',
      'AnythingToRelease',
      'Releases',
      'Claim',
      'NotifyFailed',
      'FinishFailed',
      'Failed',
      'Summarize',
      'AnyFailed',
      'ReleaseFailed',
    ]);
  });
});
