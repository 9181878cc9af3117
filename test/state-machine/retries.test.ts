import { ROLLBACK_VERIFIED, STABILITY_POLL, SUCCEEDED_AFTER_STABLE } from '../support/release-paths.ts';
import { digestOf, pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import { lock, machine, record, THROUGH_DEPLOY, until, useReleaseMachine, uuid } from './release-machine.ts';

// The ASL's Retry blocks (the one `transient` block every retried Task shares:
// TransientError and Lambda's own service errors), path by path: a Task that
// fails a few times with a retriable error and then succeeds, one whose
// retries run out (its Catch decides), and one whose error is not retriable.

useReleaseMachine();
let harness: Harness;
beforeAll(() => {
  harness = machine();
});

const RELEASED = [...THROUGH_DEPLOY, ...STABILITY_POLL, ...SUCCEEDED_AFTER_STABLE];
// The ASL's MaxAttempts: retries after the first attempt.
const MAX_RETRIES = 5;

describe('release state machine: retries', () => {
  it.each([
    ['Plan', 'Lambda.TooManyRequestsException', 1, 41],
    ['Claim', 'Lambda.ServiceException', 2, 42],
    ['Deploy', 'Lambda.AWSLambdaException', 3, 43],
    ['CheckStability', 'Lambda.SdkClientException', 2, 45],
    ['SmokeTest', 'TransientError', 2, 46],
    ['FinishSucceeded', 'Lambda.TooManyRequestsException', MAX_RETRIES, 47],
  ])('retries %s failing with %s %i time(s), then releases', async (state, error, times, n) => {
    const updatesBefore = harness.ecs.count('UpdateService');
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });
    const id = uuid(n);

    const run = await harness.run(pushEvent({ id, tag: `v${n}`, digest: digestOf(n) }), {
      failTask: { state, error, times },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(RELEASED);
    expect(run.retried).toEqual(Array(times).fill(state));
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);
    expect(await record(`web-staging-${id}`)).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(await lock()).not.toHaveProperty('holder');
  });

  it('retries a stability check whose DescribeServiceDeployments is throttled, then releases', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], throttle: { command: 'DescribeServiceDeployments', times: 2 } });

    const run = await harness.run(pushEvent({ id: uuid(48), tag: 'v48', digest: digestOf(48) }));

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(RELEASED);
    expect(run.retried).toEqual(['CheckStability', 'CheckStability']);
    expect(await record(`web-staging-${uuid(48)}`)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it('retries a deploy whose UpdateService is throttled: the retry deploys, once', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    harness.ecs.play({ deployments: [['SUCCESSFUL']], throttle: { command: 'UpdateService', times: 1 } });

    const run = await harness.run(pushEvent({ id: uuid(49), tag: 'v49', digest: digestOf(49) }));

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(RELEASED);
    expect(run.retried).toEqual(['Deploy']);
    // The throttled call plus the retry's: one deployment started.
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(2);
    expect(harness.ecs.deployments.at(-1)?.targetTaskDefinition).toBe(harness.ecs.serviceTaskDefinition);
    expect(harness.ecs.liveImage()).toContain(digestOf(49));
    expect(await record(`web-staging-${uuid(49)}`)).toMatchObject({ outcome: 'SUCCEEDED' });
  });

  it("retries a deploy that finds another invocation deploying the same release, and takes that one's result", async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });
    let first: Promise<unknown> | undefined;
    let resume: (() => void) | undefined;

    const run = await harness.run(pushEvent({ id: uuid(51), tag: 'v51', digest: digestOf(51) }), {
      beforeTask: async (state, input) => {
        if (state !== 'Deploy') return;
        if (!first) {
          // An earlier invocation (one Step Functions stopped waiting for) is still running, inside UpdateService.
          resume = harness.ecs.pause('UpdateService');
          first = harness.invoke('deploy', input);
          await until(() => harness.ecs.count('UpdateService') - updatesBefore === 1, 'the first invocation to deploy');
          return;
        }
        resume?.();
        await first;
      },
    });
    // A run that took another path must not leave UpdateService held for the tests after it.
    resume?.();

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(RELEASED);
    expect(run.retried).toEqual(['Deploy']);
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);
    expect(await first).toMatchObject({ serviceDeploymentArn: harness.ecs.deployments.at(-1)?.arn });
    expect(await record(`web-staging-${uuid(51)}`)).toMatchObject({
      outcome: 'SUCCEEDED',
      serviceDeploymentArn: harness.ecs.deployments.at(-1)?.arn,
    });
  });

  it('ends as a failed release, the service untouched, when Lambda keeps throttling deploy', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });

    const run = await harness.run(pushEvent({ id: uuid(52), tag: 'v52', digest: digestOf(52) }), {
      failTask: { state: 'Deploy', error: 'Lambda.TooManyRequestsException' },
    });

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
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    expect(await record(`web-staging-${uuid(52)}`)).toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('Lambda.TooManyRequestsException'),
    });
    expect(await lock()).not.toHaveProperty('holder');
  });

  it('rolls back when the stability check stays throttled after deploy', async () => {
    const before = harness.ecs.serviceTaskDefinition;
    harness.ecs.play({ deployments: [['SUCCESSFUL']], throttle: { command: 'DescribeServiceDeployments', times: 6 } });

    const run = await harness.run(pushEvent({ id: uuid(53), tag: 'v53', digest: digestOf(53) }));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.retried).toEqual(Array(MAX_RETRIES).fill('CheckStability'));
    expect(run.states).toEqual([
      ...THROUGH_DEPLOY,
      'WaitForStability',
      'CheckStability',
      ...ROLLBACK_VERIFIED,
      'FinishRolledBack',
      'RolledBack',
      'Summarize',
      'AnyFailed',
      'ReleaseFailed',
    ]);
    expect(harness.ecs.serviceTaskDefinition).toBe(before);
    expect(await record(`web-staging-${uuid(53)}`)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringContaining('ThrottlingException'),
    });
  });

  it('does not retry an error that is not transient: the Catch takes it at once', async () => {
    const run = await harness.run(pushEvent({ id: uuid(54), tag: 'v54', digest: digestOf(54) }), {
      failTask: { state: 'Claim', error: 'Lambda.Unknown' },
    });

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
