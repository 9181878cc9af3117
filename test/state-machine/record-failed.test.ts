import { ROLLBACK_VERIFIED, STABILITY_POLL } from '../support/release-paths.ts';
import type { EcsScenario } from '../support/scripted-ecs.ts';
import { REPOSITORY_URI } from '../support/scripted-ecs.ts';
import { digestOf, pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import { expireLock, lock, machine, record, THROUGH_DEPLOY, useReleaseMachine, uuid } from './release-machine.ts';

// RecordFailed: every Finish* state's Catch, taken once its retries are spent.
// The release has ended (deployed, failed, rolled back or not) but its record
// and lock could not be written: the Map iteration says so and the execution fails.

useReleaseMachine();
let harness: Harness;
beforeAll(() => {
  harness = machine();
});

const MAX_RETRIES = 5;
const UP_TO_DEPLOY = THROUGH_DEPLOY.slice(0, -1);

// How often the stability check polls before giving up depends on the clock
// (stuck's deadline is 1 s): the states with every poll but the last left out.
const lastPoll = (states: string[]) =>
  states
    .join(' ')
    .replace(/(WaitForStability CheckStability StabilityDecision )+(?=WaitForStability)/g, '')
    .split(' ');

interface Row {
  finish: string;
  repository: string;
  scenario: EcsScenario;
  /** The states between Plan… and the Finish state. */
  path: string[];
  /** Puts the pushed image live before Deploy (a hand deploy): the no-op path. */
  liveBeforeDeploy?: boolean;
}

const rows: Row[] = [
  {
    finish: 'FinishNoop',
    repository: 'demo/web',
    scenario: { deployments: [['SUCCESSFUL']] },
    path: [...THROUGH_DEPLOY, 'NotifyAlreadyLive'],
    liveBeforeDeploy: true,
  },
  {
    finish: 'FinishSucceeded',
    repository: 'demo/web',
    scenario: { deployments: [['SUCCESSFUL']] },
    path: [...THROUGH_DEPLOY, ...STABILITY_POLL, 'SmokeTest', 'NotifySucceeded'],
  },
  {
    finish: 'FinishFailed',
    repository: 'demo/web',
    scenario: { deployments: [['SUCCESSFUL']], registerFails: 'ClientException' },
    path: [...UP_TO_DEPLOY, 'NotifyFailed'],
  },
  {
    finish: 'FinishRolledBack',
    repository: 'demo/web',
    scenario: { deployments: [['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']] },
    path: [...THROUGH_DEPLOY, 'WaitForStability', 'CheckStability', ...ROLLBACK_VERIFIED],
  },
  {
    finish: 'FinishRollbackFailed',
    repository: 'demo/stuck',
    scenario: { deployments: [['IN_PROGRESS']], stopFails: 'InvalidParameterException' },
    path: [...THROUGH_DEPLOY, 'WaitForStability', 'CheckStability', 'Rollback', 'NotifyRollbackFailed'],
  },
];

describe('release state machine: RecordFailed', () => {
  it.each(rows.map((row, i) => [row.finish, row, 61 + i] as const))(
    'ends as RECORD_FAILED, the lock left to its lease, when %s cannot record',
    async (finish, { repository, scenario, path, liveBeforeDeploy }, n) => {
      const service = repository.split('/')[1] ?? '';
      const releaseId = `${service}-staging-${uuid(n)}`;
      harness.ecs.play(scenario);

      const run = await harness.run(pushEvent({ id: uuid(n), repository, tag: `v${n}`, digest: digestOf(n) }), {
        failTask: { state: finish, error: 'Lambda.ServiceException' },
        beforeTask: (state) => {
          if (liveBeforeDeploy && state === 'Deploy') harness.ecs.putLive(`${REPOSITORY_URI}@${digestOf(n)}`);
        },
      });

      try {
        expect(run.status).toBe('FAILED');
        expect(run.error).toBe('ReleaseFailed');
        expect(lastPoll(run.states)).toEqual([
          ...path,
          finish,
          'RecordFailed',
          'Summarize',
          'AnyFailed',
          'ReleaseFailed',
        ]);
        expect(run.retried).toEqual(Array(MAX_RETRIES).fill(finish));
        expect(run.releases).toEqual([
          {
            releaseId,
            service,
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
        expect(await lock(`${service}#staging`)).toMatchObject({ holder: releaseId });
      } finally {
        await expireLock(`${service}#staging`);
      }
    },
  );
});
