import { GetParameterHistoryCommand } from '@aws-sdk/client-ssm';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { API_KEY_PARAMETER, DB_PARAMETER, type RotationHarness, startRotationHarness } from './rotation-harness.ts';

// Every path of state-machines/rotation.asl.yml, run by aws-local-stepfunctions
// with the real handlers against a real PostgreSQL and the sandbox's SSM.

const PENDING = `/release-automation/rotation-pending${DB_PARAMETER}`;
let harness: RotationHarness;
/** Values seen under the pending name before they were tested (some never get published). */
const pendingSeen: string[] = [];

beforeAll(async () => {
  harness = await startRotationHarness();
}, 90_000);
afterAll(async () => {
  await harness?.stop();
});
beforeEach(() => {
  harness.ecs.release();
  harness.slack.calls.length = 0;
});

const recordPending = async (state: string) => {
  if (state !== 'Test') return;
  const pending = await harness.read(PENDING);
  if (pending) pendingSeen.push(pending);
};
const credential = async (selector = '') => {
  const value = await harness.read(`${DB_PARAMETER}${selector}`);
  return value === undefined ? undefined : (JSON.parse(value) as { username: string; password: string });
};
const version = async (name: string) =>
  (await harness.ssm.send(new GetParameterHistoryCommand({ Name: name }))).Parameters?.length ?? 0;
const slackText = () => harness.slack.calls.map((call) => String(call.args.text ?? '')).join('\n');

describe('rotation state machine', () => {
  it('rotates: create, set, test, publish, roll the dependent service until stable, unlock, notify', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'SUCCESSFUL']] });
    const updatesBefore = harness.ecs.count('UpdateService');

    const run = await harness.run({ parameter: DB_PARAMETER, requestedBy: 'test' }, { beforeTask: recordPending });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual([
      'Defaults',
      'Request',
      'Begin',
      'BeginDecision',
      'Create',
      'Set',
      'Test',
      'Finish',
      'Dependents',
      'Roll',
      'ForceDeployment',
      'WaitForRoll',
      'CheckRoll',
      'RollDecision',
      'WaitForRoll',
      'CheckRoll',
      'RollDecision',
      'Rolled',
      'AnyRolls',
      'Summarize',
      'EndPublished',
      'AnyRollFailed',
      'NotifyRotated',
      'Rotated',
    ]);
    // The rotation id defaults to the execution's name.
    expect(run.output).toMatchObject({
      parameter: DB_PARAMETER,
      outcome: 'ROTATED',
      version: 1,
      rotationId: expect.any(String),
    });
    const current = await credential(':current');
    expect(current?.username).toBe('shop_a');
    expect(current && (await harness.postgres.logsIn('shop', current))).toBe(true);
    expect(await harness.read(PENDING)).toBeUndefined();
    // Forced a new deployment of the revision the service runs.
    const updates = harness.ecs.calls
      .filter((call) => call.command === 'UpdateService')
      .slice(updatesBefore - harness.ecs.count('UpdateService'));
    expect(updates.map((call) => call.input)).toEqual([
      { cluster: 'sandbox', service: 'web', forceNewDeployment: true },
    ]);
    expect(harness.slack.calls.map((call) => call.args.channel)).toEqual(['#secrets']);
    expect(slackText()).toContain(`\`${DB_PARAMETER}\` rotated as version 1`);
  });

  it('publishes nothing when the new value fails its test, unlocks, and alerts', async () => {
    const before = await credential();
    const versionsBefore = await version(DB_PARAMETER);
    const updatesBefore = harness.ecs.count('UpdateService');
    // Someone changes the role's password between set and test: the new value cannot log in.
    const beforeTask = async (state: string) => {
      await recordPending(state);
      if (state !== 'Test') return;
      const admin = await harness.postgres.connect('shop');
      await admin.query('ALTER ROLE shop_b PASSWORD NULL');
      await admin.end();
    };

    const run = await harness.run({ parameter: DB_PARAMETER }, { beforeTask });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RotationFailed');
    expect(run.states).toEqual(expect.arrayContaining(['Test', 'EndFailed', 'NotifyFailed', 'RotationFailed']));
    expect(run.states).not.toContain('Finish');
    expect(await version(DB_PARAMETER)).toBe(versionsBefore);
    expect(await credential()).toEqual(before);
    expect(before && (await harness.postgres.logsIn('shop', before))).toBe(true);
    expect(await harness.read(PENDING)).toBeUndefined();
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    expect(slackText()).toMatch(
      /<!here> :x: rotation of `\/release-automation\/test\/shop\/db` failed; nothing was published/,
    );
    expect(slackText()).toContain('RotationTestFailedError');
  });

  it('rolls back a dependent service that fails to roll and alerts; the secret stays published, and no rotation resets the role the rolled-back tasks use until they are rolled', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']] });
    const versionsBefore = await version(DB_PARAMETER);

    const run = await harness.run({ parameter: DB_PARAMETER }, { beforeTask: recordPending });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RotationRollFailed');
    expect(run.states).toEqual(
      expect.arrayContaining([
        'CheckRoll',
        'RollBack',
        'CheckRollBack',
        'RollFailed',
        'NotifyRollFailed',
        'RotationRollFailed',
      ]),
    );
    expect(run.states).not.toContain('Rolled');
    expect(await version(DB_PARAMETER)).toBe(versionsBefore + 1);
    // Both credentials work: the rolled-back tasks keep using the previous one.
    for (const selector of [':current', ':previous']) {
      const found = await credential(selector);
      expect(found && (await harness.postgres.logsIn('shop', found))).toBe(true);
    }
    expect(slackText()).toContain('failed to roll and were rolled back: web/staging');
    expect(slackText()).toContain('<!here>');

    // web's tasks still log in as shop_a, the role the next rotation would reset: it is refused, changing nothing.
    harness.slack.calls.length = 0;
    const published = await version(DB_PARAMETER);
    const refused = await harness.run({ parameter: DB_PARAMETER, rotationId: 'while-rolled-back' });
    expect(refused.status).toBe('SUCCEEDED');
    expect(refused.output).toEqual({
      parameter: DB_PARAMETER,
      rotationId: 'while-rolled-back',
      outcome: 'REFUSED',
      reason: expect.stringContaining(
        `web/staging (2 task(s)) still run tasks started before version ${published} of ${DB_PARAMETER} was published`,
      ),
    });
    expect(refused.states.slice(-5)).toEqual([
      'BeginDecision',
      'Create',
      'EndRefused',
      'NotifyRefused',
      'InUseRefused',
    ]);
    expect(await version(DB_PARAMETER)).toBe(published);
    expect(await harness.read(PENDING)).toBeUndefined();
    for (const selector of [':current', ':previous']) {
      const found = await credential(selector);
      expect(found && (await harness.postgres.logsIn('shop', found))).toBe(true);
    }
    expect(slackText()).toMatch(/^<!here> :no_entry: rotation of `\/release-automation\/test\/shop\/db` refused/);
    expect(slackText()).toContain('they may log in as shop_a, the role whose password this rotation would reset');
    expect(slackText()).toContain('aws ecs update-service --cluster sandbox --service web --force-new-deployment');

    // Once web runs on the published version (a release or a forced deployment replaced its tasks), it rotates.
    harness.ecs.replaceTasks();
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });
    const recovered = await harness.run({ parameter: DB_PARAMETER, rotationId: 'while-rolled-back' });
    expect(recovered.output).toMatchObject({ outcome: 'ROTATED', version: published + 1 });
  });

  it('alerts a dependent whose deployment role cannot be assumed: its roll fails by that error, touching nothing; the secret stays published', async () => {
    const versionsBefore = await version(DB_PARAMETER);
    const updatesBefore = harness.ecs.count('UpdateService');

    const run = await harness.run(
      { parameter: DB_PARAMETER, rotationId: 'role-refused' },
      { failTask: { state: 'ForceDeployment', error: 'TargetAccessError' } },
    );

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RotationRollFailed');
    expect(run.states).toEqual(expect.arrayContaining(['ForceDeployment', 'RollFailed', 'NotifyRollFailed']));
    expect(run.states).not.toContain('RollBack');
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    expect(await version(DB_PARAMETER)).toBe(versionsBefore + 1);
    expect(slackText()).toContain('<!here>');
    expect(slackText()).toContain('TargetAccessError');
    // web was never rolled onto the new version: once it is, the next rotation may reset the other role.
    harness.ecs.replaceTasks();
  });

  it('refuses a second rotation of the secret while the first is rolling', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'SUCCESSFUL']] });
    harness.ecs.hold();
    const first = harness.run({ parameter: DB_PARAMETER, rotationId: 'first' }, { beforeTask: recordPending });
    for (let i = 0; i < 500 && !harness.events.some((e) => e.includes('"CheckRoll"') && e.includes('"first"')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const second = await harness.run({ parameter: DB_PARAMETER, rotationId: 'second' });

    expect(second.status).toBe('SUCCEEDED');
    expect(second.output).toEqual(
      expect.objectContaining({ outcome: 'REFUSED', rotationId: 'second', runningRotationId: 'first' }),
    );
    expect(second.states).not.toContain('Create');
    harness.ecs.release();
    expect((await first).output).toMatchObject({ outcome: 'ROTATED', rotationId: 'first' });
    // The same rotation id again: completed before, nothing happens.
    const again = await harness.run({ parameter: DB_PARAMETER, rotationId: 'first' });
    expect(again.output).toMatchObject({ outcome: 'ALREADY_ROTATED' });
  });

  it('renews the lock at each look at a roll: a roll outlasting the lease taken at begin keeps the secret', async () => {
    harness.ecs.play({ deployments: [['IN_PROGRESS', 'SUCCESSFUL']] });
    harness.ecs.hold();
    const TableName = harness.tables.environment.LOCKS_TABLE;
    const Key = { lockKey: `rotation#${DB_PARAMETER}` };
    let looks = 0;
    const looked = Promise.withResolvers<void>();
    const beforeTask = async (state: string) => {
      await recordPending(state);
      if (state !== 'CheckRoll') return;
      looks++;
      // The roll has outlasted the lease taken at begin (a service may wait 2 × 7200 s: roll, then rollback).
      if (looks === 1) {
        await harness.tables.documents.send(
          new UpdateCommand({
            TableName,
            Key,
            UpdateExpression: 'SET expiresAt = :past',
            ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
          }),
        );
      }
      if (looks === 2) looked.resolve();
    };
    const first = harness.run({ parameter: DB_PARAMETER, rotationId: 'long-roll' }, { beforeTask });
    await looked.promise;

    const { Item } = await harness.tables.documents.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    expect(Item?.holder).toBe('long-roll');
    expect(Date.parse(String(Item?.expiresAt))).toBeGreaterThan(Date.now() + 2 * 60 * 60 * 1000);
    const second = await harness.run({ parameter: DB_PARAMETER, rotationId: 'during-long-roll' });
    expect(second.output).toMatchObject({ outcome: 'REFUSED', runningRotationId: 'long-roll' });
    expect(second.states).not.toContain('Create');
    harness.ecs.release();
    expect((await first).output).toMatchObject({ outcome: 'ROTATED', rotationId: 'long-roll' });
  });

  it('rotates a key no service reads: 64 random bytes, nothing to roll', async () => {
    const run = await harness.run({ parameter: API_KEY_PARAMETER });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).not.toContain('ForceDeployment');
    const key = await harness.read(`${API_KEY_PARAMETER}:current`);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(64);
  });

  it('refuses a parameter no catalog secret has, changing nothing', async () => {
    const run = await harness.run({ parameter: '/not/in/the/catalog' });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('InputRefused');
    expect(run.states).toEqual(['Defaults', 'Request', 'Begin', 'InputRefused']);
  });

  it('never puts a value in state-machine input or output, an error, a log line or a Slack message', async () => {
    const history = async (name: string) =>
      (
        (await harness.ssm.send(new GetParameterHistoryCommand({ Name: name, WithDecryption: true }))).Parameters ?? []
      ).map((parameter) => parameter.Value ?? '');
    const passwordOf = (credential: string) => (JSON.parse(credential) as { password: string }).password;
    const all = [
      // Including the values that failed their test and were never published.
      ...pendingSeen.map((envelope) => passwordOf((JSON.parse(envelope) as { value: string }).value)),
      ...(await history(DB_PARAMETER)).map(passwordOf),
      ...(await history(API_KEY_PARAMETER)),
    ];
    expect(all.length).toBeGreaterThanOrEqual(6);
    const places = {
      events: harness.events.join('\n'),
      logs: harness.logs.join('\n'),
      slack: JSON.stringify(harness.slack.calls),
    };
    expect(harness.logs.join('\n')).toContain('rotation finish');
    for (const value of all) {
      for (const [place, text] of Object.entries(places))
        expect({ place, leaked: text.includes(value) }).toEqual({ place, leaked: false });
    }
  });
});
