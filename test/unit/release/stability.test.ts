import {
  DescribeServiceDeploymentsCommand,
  type DescribeServiceDeploymentsResponse,
  DescribeServicesCommand,
  type DescribeServicesResponse,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeploymentFailedError,
  LockLostError,
  RollbackFailedError,
  StabilityTimeoutError,
  TransientError,
} from '../../../src/platform/errors.ts';
import { createEcsAdapter } from '../../../src/release/adapters/ecs.ts';
import type { StabilityQuery } from '../../../src/release/rollout-state.ts';
import { checkStability } from '../../../src/release/stability.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import { DEPLOYMENT_ARN, WEB_41, WEB_42 } from '../../support/ecs-release.ts';

const ecsMock = mockClient(ECSClient);
const BEFORE_DEADLINE = new Date('2026-11-21T10:17:00.000Z');
const AFTER_DEADLINE = new Date('2026-11-21T10:25:45.000Z');

const deployQuery: StabilityQuery = {
  cluster: 'sandbox',
  ecsService: 'web',
  serviceDeploymentArn: DEPLOYMENT_ARN,
  taskDefinitionArn: WEB_42,
  deadline: '2026-11-21T10:25:31.000Z',
  mode: 'deploy',
};
const rollbackQuery: StabilityQuery = { ...deployQuery, taskDefinitionArn: WEB_41, mode: 'rollback' };

const check = (query: StabilityQuery, now = BEFORE_DEADLINE) =>
  checkStability(query, { ecs: createEcsAdapter(new ECSClient({ region: 'us-east-1' })), now: () => now });

/** The failure a check throws, to read its message. */
async function failure(query: StabilityQuery, now = BEFORE_DEADLINE): Promise<Error> {
  const error = await check(query, now).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof Error)) throw new Error('the check did not fail');
  return error;
}

const inProgress = () =>
  awsFixture<DescribeServiceDeploymentsResponse>('ecs/describe-service-deployments-in-progress.json');
const withStatus = (status: ServiceDeploymentStatus, statusReason?: string): DescribeServiceDeploymentsResponse => {
  const described = inProgress();
  return {
    ...described,
    serviceDeployments: described.serviceDeployments?.map((d) => ({ ...d, status, statusReason })),
  };
};
const serviceOn = (taskDefinition: string, events?: DescribeServicesResponse['services']): DescribeServicesResponse => {
  const described = awsFixture<DescribeServicesResponse>('ecs/describe-services.json');
  return {
    ...described,
    services: (events ?? described.services)?.map((s) => ({ ...s, taskDefinition })),
  };
};
/** Service events around the failed deployment (created 10:15:31), newest first as ECS lists them. */
const failedDeploymentEvents = (): DescribeServicesResponse['services'] => {
  const [service] = awsFixture<DescribeServicesResponse>('ecs/describe-services.json').services ?? [];
  return [
    {
      ...service,
      events: [
        { id: 'e4', createdAt: new Date('2026-11-21T10:20:00Z'), message: '(service web) has reached a steady state.' },
        {
          id: 'e3',
          createdAt: new Date('2026-11-21T10:19:58Z'),
          message:
            '(service web) rolling back to deployment ecs-svc/6587344123456789012. Reason: deployment failed: tasks failed to start.',
        },
        {
          id: 'e2',
          createdAt: new Date('2026-11-21T10:16:10Z'),
          message: '(service web) has started 1 tasks: (task 0b7e3c5d2f1a4e6b8c9d0e1f2a3b4c5d).',
        },
        {
          id: 'e1',
          createdAt: new Date('2026-11-21T10:05:00Z'),
          message: '(service web) an event from before the release.',
        },
      ],
    },
  ];
};

beforeEach(() => {
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves(inProgress());
  ecsMock.on(DescribeServicesCommand).resolves(serviceOn(WEB_42));
  ecsMock.on(ListTasksCommand).resolves(awsFixture('ecs/list-tasks-stopped.json'));
  ecsMock.on(DescribeTasksCommand).resolves(awsFixture('ecs/describe-tasks-stopped.json'));
});

afterEach(() => {
  ecsMock.reset();
});

describe('checkStability while deploying', () => {
  it('reports IN_PROGRESS before the deadline', async () => {
    await expect(check(deployQuery)).resolves.toEqual({
      status: 'IN_PROGRESS',
      deploymentStatus: 'IN_PROGRESS',
      checkedAt: '2026-11-21T10:17:00.000Z',
    });
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArns: [DEPLOYMENT_ARN],
    });
  });

  it('reports SUCCESSFUL once the deployment succeeded and the service runs the new revision', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('SUCCESSFUL'));
    await expect(check(deployQuery)).resolves.toMatchObject({ status: 'SUCCESSFUL', deploymentStatus: 'SUCCESSFUL' });
  });

  it('fails when the deployment succeeded but the service runs another revision', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('SUCCESSFUL'));
    ecsMock.on(DescribeServicesCommand).resolves(serviceOn(WEB_41));
    const error = await failure(deployQuery);
    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect(error.message).toMatch(
      /^deployment of web:42 to service web \(cluster sandbox\): ECS reports SUCCESSFUL but the service runs web:41\n/,
    );
  });

  it('reports a circuit-breaker rollback as a failed deployment, with the reasons users need', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves(awsFixture('ecs/describe-service-deployments-circuit-breaker.json'));
    ecsMock.on(DescribeServicesCommand).resolves(serviceOn(WEB_41, failedDeploymentEvents()));

    const error = await failure(deployQuery);

    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect(error.message).toBe(
      [
        'deployment of web:42 to service web (cluster sandbox) failed: ROLLBACK_SUCCESSFUL',
        'deployment ROLLBACK_SUCCESSFUL: Service deployment rolled back because the circuit breaker threshold was exceeded.',
        'circuit breaker tripped (TRIGGERED): 3 failed tasks, threshold 3',
        'rollback: Service deployment rolled back because the circuit breaker threshold was exceeded.',
        'stopped tasks of web:42 (newest first):',
        '- 0b7e3c5d2f1a4e6b8c9d0e1f2a3b4c5d: EssentialContainerExited: Essential container in task exited; web exit 1 (Error: listen EADDRINUSE: address already in use :::8080), log-router exit 0',
        '- 9f8e7d6c5b4a49382716f5e4d3c2b1a0: TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref',
        'service events since the deployment began (newest first):',
        '- 2026-11-21T10:20:00.000Z (service web) has reached a steady state.',
        '- 2026-11-21T10:19:58.000Z (service web) rolling back to deployment ecs-svc/6587344123456789012. Reason: deployment failed: tasks failed to start.',
        '- 2026-11-21T10:16:10.000Z (service web) has started 1 tasks: (task 0b7e3c5d2f1a4e6b8c9d0e1f2a3b4c5d).',
      ].join('\n'),
    );
    expect(ecsMock.commandCalls(ListTasksCommand)[0]?.args[0].input).toEqual({
      cluster: 'sandbox',
      serviceName: 'web',
      desiredStatus: 'STOPPED',
      maxResults: 100,
    });
  });

  it.each<ServiceDeploymentStatus>([
    'STOPPED',
    'STOP_REQUESTED',
    'ROLLBACK_REQUESTED',
    'ROLLBACK_IN_PROGRESS',
    'ROLLBACK_FAILED',
  ])('fails with DeploymentFailedError on %s', async (status) => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus(status));
    const error = await failure(deployQuery);
    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect(error.message.split('\n')[0]).toBe(
      `deployment of web:42 to service web (cluster sandbox) failed: ${status}`,
    );
  });

  it('keeps the failure message bounded however much ECS has to say', async () => {
    const [service] = awsFixture<DescribeServicesResponse>('ecs/describe-services.json').services ?? [];
    const noisy = Array.from({ length: 50 }, (_, i) => ({
      id: `e${i}`,
      createdAt: new Date(Date.parse('2026-11-21T10:20:00Z') - i * 1000),
      message: `(service web) ${'is unable to consistently start tasks successfully. '.repeat(20)}`,
    }));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ ...service, events: noisy }] });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('ROLLBACK_FAILED', 'x'.repeat(5000)));

    const error = await failure(deployQuery);

    expect(error.message.length).toBeLessThanOrEqual(2000);
    // Each reason is cut short rather than crowding out the others; the oldest events go first.
    expect(error.message).toContain(`deployment ROLLBACK_FAILED: ${'x'.repeat(100)}`);
    expect(error.message).toContain('- 0b7e3c5d2f1a4e6b8c9d0e1f2a3b4c5d: EssentialContainerExited');
    expect(error.message).toContain('- 2026-11-21T10:20:00.000Z (service web) is unable');
    expect(error.message).not.toContain('x'.repeat(300));
  });

  it('still fails with what it knows when the reasons cannot be read', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('ROLLBACK_SUCCESSFUL'));
    ecsMock.on(ListTasksCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ecs:ListTasks'));
    const error = await failure(deployQuery);
    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect(error.message).toContain(
      'stopped tasks: could not be read (AccessDeniedException: not authorized to perform: ecs:ListTasks)',
    );
  });

  it('times out with how long it waited and why, once past the deadline', async () => {
    const error = await failure(deployQuery, AFTER_DEADLINE);
    expect(error).toBeInstanceOf(StabilityTimeoutError);
    expect(error.message).toContain(
      'deployment of web:42 to service web (cluster sandbox) is still IN_PROGRESS after 10m 14s, past its deadline 2026-11-21T10:25:31.000Z',
    );
    expect(error.message).toContain('circuit breaker not tripped (MONITORING): 0 failed tasks, threshold 3');
    expect(error.message).toContain('TaskFailedToStart: CannotPullContainerError');
  });

  it('fails when ECS does not know the deployment', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(awsFixture('ecs/describe-service-deployments-missing.json'));
    await expect(check(deployQuery)).rejects.toThrow(DeploymentFailedError);
  });

  it('fails with TransientError when ECS throttles, so the state machine retries', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(check(deployQuery)).rejects.toThrow(TransientError);
  });
});

describe('checkStability while rolling back', () => {
  it('reports SUCCESSFUL when ECS rolled back and the service runs the previous revision', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves(awsFixture('ecs/describe-service-deployments-circuit-breaker.json'));
    ecsMock.on(DescribeServicesCommand).resolves(serviceOn(WEB_41));
    await expect(check(rollbackQuery)).resolves.toMatchObject({
      status: 'SUCCESSFUL',
      deploymentStatus: 'ROLLBACK_SUCCESSFUL',
    });
  });

  it('reports SUCCESSFUL when the update back to the previous revision succeeded', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('SUCCESSFUL'));
    ecsMock.on(DescribeServicesCommand).resolves(serviceOn(WEB_41));
    await expect(check(rollbackQuery)).resolves.toMatchObject({ status: 'SUCCESSFUL' });
  });

  it('fails when the deployment succeeded on the new revision instead of rolling back', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('SUCCESSFUL'));
    ecsMock.on(DescribeServicesCommand).resolves(serviceOn(WEB_42));
    const error = await failure(rollbackQuery);
    expect(error).toBeInstanceOf(RollbackFailedError);
    expect(error.message.split('\n')[0]).toBe(
      'rollback of service web (cluster sandbox) to web:41: ECS reports SUCCESSFUL but the service runs web:42',
    );
  });

  it.each<ServiceDeploymentStatus>(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'PENDING', 'IN_PROGRESS'])(
    'reports IN_PROGRESS on %s before the deadline',
    async (status) => {
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus(status));
      await expect(check(rollbackQuery)).resolves.toMatchObject({ status: 'IN_PROGRESS', deploymentStatus: status });
    },
  );

  it('fails with RollbackFailedError once past the deadline', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('ROLLBACK_IN_PROGRESS'));
    const error = await failure(rollbackQuery, AFTER_DEADLINE);
    expect(error).toBeInstanceOf(RollbackFailedError);
    expect(error.message).toContain('is still ROLLBACK_IN_PROGRESS after 10m 14s, past its deadline');
  });

  it.each<ServiceDeploymentStatus>(['ROLLBACK_FAILED', 'STOPPED'])(
    'fails with RollbackFailedError on %s',
    async (status) => {
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus(status, 'Tasks failed to start.'));
      const error = await failure(rollbackQuery);
      expect(error).toBeInstanceOf(RollbackFailedError);
      expect(error.message).toContain(`deployment ${status}: Tasks failed to start.`);
    },
  );
});

describe('checkStability: the lock lease of a native release', () => {
  const leased: StabilityQuery = {
    ...deployQuery,
    control: { lockKey: 'web#staging', releaseId: 'r-1', lease: { executionId: 'exec-1', seconds: 2119 } },
  };
  const store = (holds: boolean) => {
    const renewals: unknown[][] = [];
    return {
      renewals,
      controls: () => ({
        readControl: async () => undefined,
        renewLock: async (...args: unknown[]) => {
          renewals.push(args);
          return holds;
        },
      }),
    };
  };
  const checkWith = (query: StabilityQuery, controls: ReturnType<typeof store>['controls']) =>
    checkStability(query, {
      ecs: createEcsAdapter(new ECSClient({ region: 'us-east-1' })),
      now: () => BEFORE_DEADLINE,
      controls,
    });

  it('renews the lease for a full lease from now at each look', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(inProgress());
    const held = store(true);
    await expect(checkWith(leased, held.controls)).resolves.toMatchObject({ status: 'IN_PROGRESS' });
    expect(held.renewals).toEqual([['web#staging', 'r-1', 'exec-1', '2026-11-21T10:52:19.000Z']]);
    // Without a lease (a rolling release, or the rollback's checks) nothing is renewed.
    const plain = store(true);
    await checkWith({ ...leased, control: { lockKey: 'web#staging', releaseId: 'r-1' } }, plain.controls);
    expect(plain.renewals).toHaveLength(0);
  });

  it('fails with LockLostError when another release has taken the target', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(inProgress());
    await expect(checkWith(leased, store(false).controls)).rejects.toThrow(LockLostError);
  });
});

describe("checkStability: the lock lease of a rotation's roll", () => {
  const rolling: StabilityQuery = {
    ...deployQuery,
    rotationLease: { parameter: '/app/db', rotationId: 'rot-1', seconds: 10_800 },
  };
  const lock = (holds: boolean) => {
    const renewals: unknown[][] = [];
    return {
      renewals,
      rotationLock: () => ({
        renew: async (...args: unknown[]) => {
          renewals.push(args);
          return holds;
        },
      }),
    };
  };
  const checkWith = (query: StabilityQuery, rotationLock: ReturnType<typeof lock>['rotationLock']) =>
    checkStability(query, {
      ecs: createEcsAdapter(new ECSClient({ region: 'us-east-1' })),
      now: () => BEFORE_DEADLINE,
      rotationLock,
    });

  it('renews the rotation lock for a full lease from now at each look, the rollback included', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(inProgress());
    const held = lock(true);
    await expect(checkWith(rolling, held.rotationLock)).resolves.toMatchObject({ status: 'IN_PROGRESS' });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(withStatus('ROLLBACK_IN_PROGRESS'));
    await checkWith({ ...rolling, taskDefinitionArn: WEB_41, mode: 'rollback' }, held.rotationLock);
    expect(held.renewals).toEqual([
      ['/app/db', 'rot-1', '2026-11-21T13:17:00.000Z'],
      ['/app/db', 'rot-1', '2026-11-21T13:17:00.000Z'],
    ]);
  });

  it('fails with LockLostError when another rotation has taken the secret', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves(inProgress());
    await expect(checkWith(rolling, lock(false).rotationLock)).rejects.toThrow(
      /rotation lock of \/app\/db is no longer held by rotation rot-1/,
    );
  });
});
