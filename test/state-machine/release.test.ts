import { STABILITY_WAIT, SUCCEEDED_AFTER_STABLE } from '../support/release-paths.ts';
import { REPOSITORY_URI } from '../support/scripted-ecs.ts';
import { digestOf, pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import {
  answerSmoke,
  expireLock,
  lock,
  machine,
  record,
  slackEvents,
  THROUGH_DEPLOY,
  until,
  useReleaseMachine,
  uuid,
} from './release-machine.ts';

// Every path of state-machines/release.asl.yml, run by aws-local-stepfunctions
// with the real handlers (see harness.ts for what is mocked and what is real).

useReleaseMachine();
let harness: Harness;
beforeAll(() => {
  harness = machine();
});

describe('release state machine', () => {
  it('releases a pushed image: deploy, wait until stable, smoke test, record, unlock', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    const event = pushEvent({ id: uuid(1), tag: 'v2', digest: digestOf(2) });
    harness.ecs.play({ deployments: [['PENDING', 'IN_PROGRESS', 'SUCCESSFUL']] });

    const run = await harness.run(event);

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual([
      ...THROUGH_DEPLOY,
      // One wait, answered when the deployment is SUCCESSFUL: no poll in between.
      ...STABILITY_WAIT,
      ...SUCCEEDED_AFTER_STABLE,
    ]);
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);
    expect(harness.ecs.liveImage()).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/web@${digestOf(2)}`);
    const saved = await record(`web-staging-${uuid(1)}`);
    expect(saved).toMatchObject({
      outcome: 'SUCCEEDED',
      service: 'web',
      environment: 'staging',
      tag: 'v2',
      digest: digestOf(2),
      trigger: { source: 'ecr-push', eventId: uuid(1) },
      previousTaskDefinitionArn: expect.stringMatching(/task-definition\/web:\d+$/),
      taskDefinitionArn: harness.ecs.serviceTaskDefinition,
    });
    expect(Date.parse(saved?.endedAt)).toBeGreaterThanOrEqual(Date.parse(saved?.startedAt));
    expect(await lock()).toMatchObject({ lockKey: 'web#staging', latestReleaseId: `web-staging-${uuid(1)}` });
    expect(await lock()).not.toHaveProperty('holder');
    expect(harness.slack.calls.map((m) => m.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
    // The outcome is a reply in the thread the start message opened.
    expect(harness.slack.calls[1]?.args.thread_ts).toBe(harness.slack.calls[0]?.answer?.ts);
  });

  it('ends as a failed release without touching the service when deploy fails', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    const before = harness.ecs.serviceTaskDefinition;
    harness.ecs.play({ deployments: [['SUCCESSFUL']], registerFails: 'ClientException' });

    const run = await harness.run(pushEvent({ id: uuid(2), tag: 'v3', digest: digestOf(3) }));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.states).toEqual(expect.arrayContaining(['Deploy', 'NotifyFailed', 'FinishFailed', 'Failed']));
    expect(run.states).not.toContain('Rollback');
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    expect(harness.ecs.serviceTaskDefinition).toBe(before);
    expect(await record(`web-staging-${uuid(2)}`)).toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('Container.image should not be blank'),
    });
    expect(await lock()).toMatchObject({ latestReleaseId: `web-staging-${uuid(2)}` });
    expect(await lock()).not.toHaveProperty('holder');
  });

  it('rolls back with StopServiceDeployment when the service is not stable by the deadline', async () => {
    const before = harness.ecs.serviceTaskDefinition;
    const callsBefore = harness.ecs.calls.length;
    harness.ecs.play({ deployments: [['IN_PROGRESS']], stopRollback: ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'] });

    const run = await harness.run(pushEvent({ id: uuid(3), repository: 'demo/stuck', tag: 'v4', digest: digestOf(4) }));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.states).toEqual(
      expect.arrayContaining([
        'AwaitStability',
        'Rollback',
        'AwaitRollback',
        'NotifyRolledBack',
        'FinishRolledBack',
        'RolledBack',
      ]),
    );
    const calls = harness.ecs.calls.slice(callsBefore);
    const deployment = harness.ecs.deployments.at(-1)?.arn;
    expect(calls.filter((c) => c.command === 'StopServiceDeployment').map((c) => c.input)).toEqual([
      { serviceDeploymentArn: deployment, stopType: 'ROLLBACK' },
    ]);
    // Stopped and rolled back by ECS: no second UpdateService.
    expect(calls.filter((c) => c.command === 'UpdateService')).toHaveLength(1);
    expect(harness.ecs.serviceTaskDefinition).toBe(before);
    expect(await record(`stuck-staging-${uuid(3)}`)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringMatching(/stable|deadline/i),
    });
  });

  it("reports a circuit-breaker rollback as a failed release, with the stopped tasks' reasons", async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    const before = harness.ecs.serviceTaskDefinition;
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']] });

    const run = await harness.run(pushEvent({ id: uuid(4), tag: 'v5-crash', digest: digestOf(5) }));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.states).toEqual(expect.arrayContaining(['Rollback', 'AwaitRollback', 'RolledBack']));
    expect(run.states).not.toContain('SmokeTest');
    // ECS already rolled back: no second rollback is started.
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);
    expect(harness.ecs.serviceTaskDefinition).toBe(before);
    const saved = await record(`web-staging-${uuid(4)}`);
    expect(saved?.outcome).toBe('ROLLED_BACK');
    expect(saved?.reason).toMatch(/circuit breaker/i);
    expect(saved?.reason).toContain('Essential container in task exited');
    expect(slackEvents().join('\n')).toMatch(/rolled back/i);
  });

  it('rolls back to the previous revision when the smoke test fails', async () => {
    const before = harness.ecs.serviceTaskDefinition;
    const updatesBefore = harness.ecs.count('UpdateService');
    answerSmoke(500);
    harness.ecs.play({ deployments: [['SUCCESSFUL'], ['IN_PROGRESS', 'SUCCESSFUL']] });

    const run = await harness.run(pushEvent({ id: uuid(5), tag: 'v6', digest: digestOf(6) }));

    expect(run.status).toBe('FAILED');
    expect(run.states).toEqual(expect.arrayContaining(['SmokeTest', 'Rollback', 'AwaitRollback', 'RolledBack']));
    const updates = harness.ecs.calls.filter((c) => c.command === 'UpdateService').slice(updatesBefore);
    expect(updates).toHaveLength(2);
    expect(updates[1]?.input).toMatchObject({ taskDefinition: before });
    expect(harness.ecs.serviceTaskDefinition).toBe(before);
    expect(await record(`web-staging-${uuid(5)}`)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringContaining('500'),
    });
  });

  it('raises the loud alert when the rollback itself fails', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS']], stopFails: 'InvalidParameterException' });

    const callsBefore = harness.ecs.calls.length;
    const run = await harness.run(pushEvent({ id: uuid(6), repository: 'demo/stuck', tag: 'v7', digest: digestOf(7) }));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    // The stop was refused twice (a second look found the deployment still running).
    expect(harness.ecs.calls.slice(callsBefore).filter((c) => c.command === 'StopServiceDeployment')).toHaveLength(2);
    expect(run.states).toEqual(
      expect.arrayContaining(['Rollback', 'NotifyRollbackFailed', 'FinishRollbackFailed', 'RollbackFailed']),
    );
    expect(run.states).not.toContain('RolledBack');
    expect(await record(`stuck-staging-${uuid(6)}`)).toMatchObject({ outcome: 'ROLLBACK_FAILED' });
    const alert = harness.slack.calls.find((m) => m.args.reply_broadcast === true);
    expect(String(alert?.args.text)).toMatch(/manual/i);
    expect(await lock('stuck#staging')).toMatchObject({ latestReleaseId: `stuck-staging-${uuid(6)}` });
    expect(await lock('stuck#staging')).not.toHaveProperty('holder');
  });

  it('makes one release of the same event delivered twice at once', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'SUCCESSFUL']] });
    const event = pushEvent({ id: uuid(7), tag: 'v8', digest: digestOf(8) });

    const [first, second] = await Promise.all([harness.run(event), harness.run(event)]);

    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);
    const outcomes = [first, second].map(
      (run) => (run.output as { releases: { outcome: string }[] }).releases[0]?.outcome,
    );
    expect(outcomes.sort()).toEqual(['DUPLICATE', 'SUCCEEDED']);
    expect(await record(`web-staging-${uuid(7)}`)).toMatchObject({ outcome: 'SUCCEEDED' });

    // Redelivered later, after the release ended: still one release.
    const late = await harness.run(event);
    expect((late.output as { releases: { outcome: string }[] }).releases[0]?.outcome).toBe('DUPLICATE');
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);
  });

  it('deploys nothing for a repository outside the catalog', async () => {
    const callsBefore = harness.ecs.calls.length;

    const run = await harness.run(
      pushEvent({ id: uuid(8), repository: 'someone/else', tag: 'latest', digest: digestOf(9) }),
    );

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(['Planned', 'Plan', 'AnythingToRelease', 'NothingToRelease']);
    expect(run.output).toMatchObject({ releases: [], refused: expect.stringContaining('someone/else') });
    expect(harness.ecs.calls.slice(callsBefore).map((c) => c.command)).toEqual([]);
  });

  it('refuses at Plan a push whose fields AWS would not accept as keys, retrying nothing and touching nothing', async () => {
    const callsBefore = harness.ecs.calls.length;
    const lockBefore = await lock();

    const run = await harness.run(pushEvent({ id: 'e'.repeat(3000), tag: 'v17', digest: digestOf(17) }));

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(['Planned', 'Plan', 'InputRefused']);
    expect(run.retried).toEqual([]);
    expect(run.output).toMatchObject({
      refusal: { Error: 'InvalidInputError', Cause: expect.stringContaining('is not an event id') },
    });
    expect(harness.ecs.calls.slice(callsBefore)).toEqual([]);
    expect(await lock()).toEqual(lockBefore);
  });

  it('refuses at Plan a push dated in the future, which would otherwise supersede every real push', async () => {
    const run = await harness.run(
      pushEvent({ id: uuid(19), time: '2099-01-01T00:00:00Z', tag: 'v19', digest: digestOf(19) }),
    );

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(['Planned', 'Plan', 'InputRefused']);
    expect(run.output).toMatchObject({
      refusal: { Error: 'InvalidInputError', Cause: expect.stringContaining('2099') },
    });
    expect(await record(`web-staging-${uuid(19)}`)).toBeUndefined();
  });

  it('deploys nothing for a digest the registry does not hold', async () => {
    const callsBefore = harness.ecs.calls.length;
    const lockBefore = await lock();
    harness.ecs.missingImages.add(digestOf(18));

    const run = await harness.run(pushEvent({ id: uuid(18), tag: 'v18', digest: digestOf(18) }));

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(['Planned', 'Plan', 'AnythingToRelease', 'NothingToRelease']);
    expect(run.output).toMatchObject({ releases: [], refused: expect.stringContaining('is not in the registry') });
    expect(harness.ecs.calls.slice(callsBefore).map((c) => c.command)).not.toContain('UpdateService');
    expect(await record(`web-staging-${uuid(18)}`)).toBeUndefined();
    expect(await lock()).toEqual(lockBefore);
  });

  it('releases the targets it can when another target of the push is misconfigured, then fails loudly', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });

    const run = await harness.run(
      pushEvent({ id: uuid(15), repository: 'demo/split', tag: 'v15', digest: digestOf(15) }),
    );

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.states).toEqual(
      expect.arrayContaining(['Releases', 'Deploy', 'FinishSucceeded', 'Summarize', 'ReleaseFailed']),
    );
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);
    expect(await record(`split-staging-${uuid(15)}`)).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(await record(`ghost-staging-${uuid(15)}`)).toBeUndefined();
  });

  it('is a recorded no-op when the pushed digest is already live', async () => {
    const live = harness.ecs.liveImage() ?? '';
    const digest = live.slice(live.indexOf('@') + 1);
    const updatesBefore = harness.ecs.count('UpdateService');

    const run = await harness.run(pushEvent({ id: uuid(9), tag: 'again', digest }));

    expect(run.status).toBe('SUCCEEDED');
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    expect(await record(`web-staging-${uuid(9)}`)).toMatchObject({
      outcome: 'NOOP',
      reason: expect.stringContaining('already live'),
    });
  });

  it('is a recorded no-op when the image went live between planning and deploying, waiting on nothing', async () => {
    const digest = digestOf(16);
    const updatesBefore = harness.ecs.count('UpdateService');

    // A hand deploy of the same image, which ECS names no service deployment for: nothing to adopt.
    const run = await harness.run(pushEvent({ id: uuid(16), tag: 'v16', digest }), {
      beforeTask: (state) => {
        if (state === 'Deploy') harness.ecs.putLive(`${REPOSITORY_URI}@${digest}`);
      },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual([
      ...THROUGH_DEPLOY,
      'NotifyAlreadyLive',
      'FinishNoop',
      'AlreadyLive',
      'Summarize',
      'AnyFailed',
      'Released',
    ]);
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    const reason = `${digest} is already live in web:${harness.ecs.serviceTaskDefinition.split(':').at(-1)}`;
    expect(run.output).toMatchObject({ releases: [{ outcome: 'NOOP', reason, failed: false }] });
    expect(await record(`web-staging-${uuid(16)}`)).toMatchObject({ outcome: 'NOOP', reason });
    expect(await lock()).not.toHaveProperty('holder');
    // The thread "Releasing…" opened is closed, not left hanging.
    expect(slackEvents()).toEqual([
      expect.stringMatching(/^Releasing web v16/),
      'Nothing to release: web v16 is already live on staging',
    ]);
    expect(harness.slack.calls[1]?.args.thread_ts).toBe(harness.slack.calls[0]?.answer?.ts);
  });

  // record-failed.test.ts covers every other Finish state on the sandbox's ECS, which names a service
  // deployment for every revision put live, so a hand deploy there is adopted, never a no-op at Deploy.
  it('ends as RECORD_FAILED, the lock left to its lease, when FinishNoop cannot record', async () => {
    const digest = digestOf(61);
    const releaseId = `web-staging-${uuid(61)}`;

    const run = await harness.run(pushEvent({ id: uuid(61), tag: 'v61', digest }), {
      failTask: { state: 'FinishNoop', error: 'Lambda.ServiceException' },
      beforeTask: (state) => {
        if (state === 'Deploy') harness.ecs.putLive(`${REPOSITORY_URI}@${digest}`);
      },
    });

    try {
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('ReleaseFailed');
      expect(run.states).toEqual([
        ...THROUGH_DEPLOY,
        'NotifyAlreadyLive',
        'FinishNoop',
        'RecordFailed',
        'Summarize',
        'AnyFailed',
        'ReleaseFailed',
      ]);
      expect(run.retried).toEqual(Array(5).fill('FinishNoop'));
      expect(run.releases).toEqual([
        {
          releaseId,
          service: 'web',
          environment: 'staging',
          outcome: 'RECORD_FAILED',
          recordError: { Error: 'Lambda.ServiceException', Cause: expect.any(String) },
          failed: true,
        },
      ]);
      // Nothing recorded the ending: the record is as the claim left it, the lock still held.
      const saved = await record(releaseId);
      expect(saved).toMatchObject({ releaseId, outcome: 'RUNNING' });
      expect(saved).not.toHaveProperty('endedAt');
      expect(await lock('web#staging')).toMatchObject({ holder: releaseId });
    } finally {
      await expireLock('web#staging');
    }
  });

  it('makes a push wait while its target releases; of the pushes waiting, only the newest releases', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });
    harness.ecs.hold();
    const a = harness.run(pushEvent({ id: uuid(10), tag: 'v10', digest: digestOf(10) }));
    await until(() => harness.ecs.count('UpdateService') - updatesBefore === 1, 'the first release to deploy');

    const b = harness.run(pushEvent({ id: uuid(11), tag: 'v11', digest: digestOf(11) }));
    await until(async () => (await lock())?.latestReleaseId === `web-staging-${uuid(11)}`, 'the second push to wait');
    const c = harness.run(pushEvent({ id: uuid(12), tag: 'v12', digest: digestOf(12) }));
    await until(async () => (await lock())?.latestReleaseId === `web-staging-${uuid(12)}`, 'the third push to wait');
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(1);

    harness.ecs.release();
    const [first, second, third] = await Promise.all([a, b, c]);

    expect([first.status, second.status, third.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(second.states).toContain('WaitForTarget');
    expect(await record(`web-staging-${uuid(10)}`)).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(await record(`web-staging-${uuid(11)}`)).toMatchObject({
      outcome: 'SUPERSEDED',
      reason: expect.stringContaining('v12'),
    });
    expect(await record(`web-staging-${uuid(12)}`)).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(harness.ecs.count('UpdateService') - updatesBefore).toBe(2);
    expect(harness.ecs.liveImage()).toContain(digestOf(12));
  });

  it('never deploys a push delivered late over a newer one', async () => {
    const updatesBefore = harness.ecs.count('UpdateService');
    const stale = pushEvent({ id: uuid(14), time: '2026-01-01T00:00:00Z', tag: 'v0', digest: digestOf(14) });

    const run = await harness.run(stale);

    expect(run.status).toBe('SUCCEEDED');
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    expect(await record(`web-staging-${uuid(14)}`)).toMatchObject({ outcome: 'SUPERSEDED' });
  });

  it('still releases when Slack is down', async () => {
    harness.slackDown(true);
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });

    const run = await harness.run(pushEvent({ id: uuid(13), tag: 'v13', digest: digestOf(13) }));

    expect(run.status).toBe('SUCCEEDED');
    // Notify ran (and was answered 503, so nothing was posted) without failing the release.
    expect(run.states).toEqual(expect.arrayContaining(['NotifyStarted', 'NotifySucceeded']));
    expect(harness.slackRefused()).toBeGreaterThanOrEqual(2);
    expect(harness.slack.calls.filter((call) => call.answer !== undefined)).toHaveLength(0);
    expect(await record(`web-staging-${uuid(13)}`)).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(harness.ecs.liveImage()).toContain(digestOf(13));
  });
});
