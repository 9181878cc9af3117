import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { STABILITY_WAIT, SUCCEEDED_AFTER_STABLE } from '../support/release-paths.ts';
import { digestOf, pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import { machine, record, THROUGH_DEPLOY, until, useReleaseMachine, uuid } from './release-machine.ts';

// Waits that wake on ECS's events (issue 17): AwaitStability and AwaitRollback
// are callback tasks that ecsEvents (an ECS event) or reconcileWaits (its
// schedule) answer with what ECS says, never with what an event says. Here the
// reconcile is paused: each test delivers ECS's documented events itself.

useReleaseMachine();
let harness: Harness;
beforeAll(() => {
  harness = machine();
});
beforeEach(() => {
  harness.pauseReconcile(true);
});

const sample = JSON.parse(
  readFileSync(new URL('../../events/aws.ecs/deployment-state-change.json', import.meta.url), 'utf8'),
) as { detail: Record<string, unknown> };
/** ECS's "ECS Deployment State Change" event of web (events/aws.ecs/deployment-state-change.json). */
const ecsEvent = (eventName: string) => ({ ...sample, detail: { ...sample.detail, eventName } });

/** The waits stored now (DeploymentWaitsTable), tokens left out. */
const storedWaits = async () => {
  const { Items = [] } = await DynamoDBDocumentClient.from(harness.dynamodb).send(
    new ScanCommand({ TableName: harness.tables.DEPLOYMENT_WAITS_TABLE }),
  );
  return Items.map(({ taskToken: _token, ...wait }) => wait);
};
const waitStored = () => until(async () => (await storedWaits()).length === 1, 'the release to wait on ECS');

describe('waits that wake on ECS events', () => {
  it('wakes the waiting release on SERVICE_DEPLOYMENT_COMPLETED, once, after a stale event changed nothing', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'IN_PROGRESS', 'SUCCESSFUL']] });
    const running = harness.run(pushEvent({ id: uuid(1701), tag: 'v1701', digest: digestOf(7) }));
    await waitStored();
    expect(await storedWaits()).toEqual([
      expect.objectContaining({
        service: '123456789012/us-east-1/sandbox/web',
        query: expect.objectContaining({ mode: 'deploy' }),
      }),
    ]);

    // ECS still says IN_PROGRESS: an event (late, or out of order) answers nothing.
    await expect(harness.invoke('ecsEvents', ecsEvent('SERVICE_DEPLOYMENT_IN_PROGRESS'))).resolves.toEqual({
      answered: 0,
      waiting: 1,
      gone: 0,
      failed: 0,
    });
    await expect(harness.invoke('ecsEvents', ecsEvent('SERVICE_DEPLOYMENT_COMPLETED'))).resolves.toMatchObject({
      answered: 1,
    });
    const run = await running;

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual([...THROUGH_DEPLOY, ...STABILITY_WAIT, ...SUCCEEDED_AFTER_STABLE]);
    expect(harness.callbacks().success).toBe(1);
    expect(await storedWaits()).toEqual([]);
    // The same event again (EventBridge delivers at least once): nobody waits, nothing is asked of ECS.
    const looks = harness.ecs.count('DescribeServiceDeployments');
    await expect(harness.invoke('ecsEvents', ecsEvent('SERVICE_DEPLOYMENT_COMPLETED'))).resolves.toMatchObject({
      answered: 0,
      waiting: 0,
    });
    expect(harness.ecs.count('DescribeServiceDeployments')).toBe(looks);
  });

  it('takes the rollback path unchanged when SERVICE_DEPLOYMENT_FAILED wakes it', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']] });
    const running = harness.run(pushEvent({ id: uuid(1702), tag: 'v1702-crash', digest: digestOf(8) }));
    await waitStored();

    await expect(harness.invoke('ecsEvents', ecsEvent('SERVICE_DEPLOYMENT_FAILED'))).resolves.toMatchObject({
      answered: 1,
    });
    // The rollback's own wait: the reconcile's schedule answers it.
    harness.pauseReconcile(false);
    const run = await running;

    expect(run.status).toBe('FAILED');
    const failedAt = run.states.indexOf('AwaitStability');
    expect(run.states.slice(failedAt, failedAt + 4)).toEqual([
      'AwaitStability',
      'Rollback',
      'AwaitRollback',
      'NotifyRolledBack',
    ]);
    expect(run.states).not.toContain('CheckStability');
    expect(harness.callbacks().failure).toBe(1);
    const saved = await record(`web-staging-${uuid(1702)}`);
    expect(saved).toMatchObject({ outcome: 'ROLLED_BACK', reason: expect.stringMatching(/^DeploymentFailedError: /) });
    expect(saved?.reason).toMatch(/circuit breaker/i);
  });

  it('rolls back a rolling release someone aborts while it waits, at the reconcile’s next look', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS']], stopRollback: ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'] });
    const releaseId = `web-staging-${uuid(1704)}`;
    const running = harness.run(pushEvent({ id: uuid(1704), tag: 'v1704', digest: digestOf(4) }));
    await waitStored();
    await DynamoDBDocumentClient.from(harness.dynamodb).send(
      new UpdateCommand({
        TableName: harness.tables.LOCKS_TABLE,
        Key: { lockKey: 'web#staging' },
        UpdateExpression: 'SET #control = :control',
        ExpressionAttributeNames: { '#control': 'control' },
        ExpressionAttributeValues: {
          ':control': { action: 'abort', releaseId, requestedBy: 'ana', requestedAt: '2026-12-06T08:00:00.000Z' },
        },
      }),
    );
    harness.pauseReconcile(false);
    const run = await running;

    expect(run.status).toBe('FAILED');
    const failedAt = run.states.indexOf('AwaitStability');
    expect(run.states.slice(failedAt, failedAt + 4)).toEqual([
      'AwaitStability',
      'Rollback',
      'AwaitRollback',
      'NotifyRolledBack',
    ]);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: 'ReleaseAborted: aborted by ana at 2026-12-06T08:00:00.000Z',
    });
  });

  it.each(['States.Timeout', 'States.HeartbeatTimeout'])(
    'falls back to one CheckStability when the wait lapses (%s), then waits again',
    async (lapse) => {
      harness.ecs.play({ deployments: [['IN_PROGRESS', 'IN_PROGRESS', 'SUCCESSFUL']] });

      const run = await harness.run(
        pushEvent({ id: uuid(1703 + lapse.length), tag: `v1703-${lapse.length}`, digest: digestOf(lapse.length) }),
        {
          // Step Functions ends the callback task: no answer (or no heartbeat) in time.
          failTask: { state: 'AwaitStability', error: lapse, times: 1 },
          beforeTask: (state) => {
            if (state === 'CheckStability') harness.pauseReconcile(false);
          },
        },
      );

      expect(run.status).toBe('SUCCEEDED');
      expect(run.states).toEqual([
        ...THROUGH_DEPLOY,
        'AwaitStability',
        'CheckStability',
        'StabilityDecision',
        // IN_PROGRESS still: back to waiting, which the reconcile answers.
        ...STABILITY_WAIT,
        ...SUCCEEDED_AFTER_STABLE,
      ]);
      expect(run.retried).toEqual([]);
    },
  );
});
