import { pushReleaseKey } from '../../src/release/record.ts';
import { lastPolls, ROLLBACK_VERIFIED, STABILITY_WAIT } from '../support/release-paths.ts';
import { expireLock, lock, record, THROUGH_DEPLOY, useReleaseMachine } from './release-machine.ts';
import { startSandboxHarness } from './sandbox-harness.ts';

// RecordFailed: every Finish* state's Catch, taken once its retries are spent
// (FinishNoop's is in release.test.ts: the no-op at Deploy needs a revision ECS names no service deployment for).
// The release has ended (deployed, failed, rolled back or not) but its record
// and lock could not be written: the Map iteration says so and the execution fails.
// ECS and ECR are the sandbox's: each ending comes from the image pushed (its tag's
// words) or from an AWS error the sandbox answers by a fault rule.

const harness = useReleaseMachine({
  start: (environment) =>
    startSandboxHarness(environment, [
      { service: 'web', repository: 'demo/web' },
      // No circuit breaker: a deployment whose tasks crash stays IN_PROGRESS, as in ECS.
      { service: 'stuck', repository: 'demo/stuck', circuitBreaker: { enable: false, rollback: false } },
    ]),
});

const MAX_RETRIES = 5;
const UP_TO_DEPLOY = THROUGH_DEPLOY.slice(0, -1);

interface Row {
  finish: string;
  repository: string;
  /** The words after the version in the pushed tag (sandbox/demo-app/behaviour.ts). */
  words?: string;
  /** An AWS error ECS answers an operation with, every time. */
  error?: { operation: string; errorCode: string };
  /** The states between Plan… and the Finish state. */
  path: string[];
}

const rows: Row[] = [
  {
    finish: 'FinishSucceeded',
    repository: 'demo/web',
    path: [...THROUGH_DEPLOY, ...STABILITY_WAIT, 'SmokeTest', 'NotifySucceeded'],
  },
  {
    finish: 'FinishFailed',
    repository: 'demo/web',
    error: { operation: 'RegisterTaskDefinition', errorCode: 'ClientException' },
    path: [...UP_TO_DEPLOY, 'NotifyFailed'],
  },
  {
    finish: 'FinishRolledBack',
    repository: 'demo/web',
    // Fails its health checks: the circuit breaker rolls it back.
    words: '-bad',
    path: [...THROUGH_DEPLOY, 'AwaitStability', ...ROLLBACK_VERIFIED],
  },
  {
    finish: 'FinishRollbackFailed',
    repository: 'demo/stuck',
    // Its tasks crash at start: never stable before stuck's 1 s deadline.
    words: '-crash',
    error: { operation: 'StopServiceDeployment', errorCode: 'InvalidParameterException' },
    path: [...THROUGH_DEPLOY, 'AwaitStability', 'Rollback', 'NotifyRollbackFailed'],
  },
];

describe('release state machine: RecordFailed', () => {
  it.each(rows.map((row, i) => [row.finish, row, 62 + i] as const))(
    'ends as RECORD_FAILED, the lock left to its lease, when %s cannot record',
    async (finish, { repository, words = '', error, path }, n) => {
      const service = repository.split('/')[1] ?? '';
      const pushed = await harness.push(repository, `v${n}${words}`);
      // ECR's event of the image's first push: the release is keyed by its digest.
      const releaseId = `${service}-staging-${pushReleaseKey(pushed.imageDigest)}`;
      if (error) harness.faults.add({ service: 'ecs', ...error, fault: 'error', rate: 1 });

      const run = await harness.run(pushed.event, { failTask: { state: finish, error: 'Lambda.ServiceException' } });

      try {
        expect(run.status).toBe('FAILED');
        expect(run.error).toBe('ReleaseFailed');
        expect(lastPolls(run.states)).toEqual([
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
