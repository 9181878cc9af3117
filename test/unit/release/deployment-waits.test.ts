import { Logger } from '@aws-lambda-powertools/logger';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createAwaitDeploymentHandler } from '../../../functions/await-deployment/handler.ts';
import { createEcsEventsHandler } from '../../../functions/ecs-events/handler.ts';
import { createReconcileWaitsHandler } from '../../../functions/reconcile-waits/handler.ts';
import { TransientError } from '../../../src/platform/errors.ts';
import type {
  CallbackAnswer,
  DeploymentWait,
  DeploymentWaitStore,
  TaskCallbacks,
  WaitPorts,
} from '../../../src/release/index.ts';
import { serviceKey, servicesOfEcsEvent } from '../../../src/release/index.ts';
import type { ServiceDeploymentStatus } from '../../../src/release/ports/ecs.ts';
import type { StabilityQuery } from '../../../src/release/rollout-state.ts';
import { fakeLambdaContext } from '../../support/fake-lambda-context.ts';

// Waits that wake on ECS events: awaitDeployment stores a wait and looks once,
// ecsEvents and reconcileWaits look again; only ECS's answer (never an event's
// word) answers a task, and answering twice does no harm.

const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/sandbox';
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/sandbox/web';
const DEPLOYMENT = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/sandbox/web/Ab3dEf6hIj9kLmNoPqRsT';
// The same names in a production account and region of its own.
const PROD_DEPLOYMENT = 'arn:aws:ecs:us-west-2:222222222222:service-deployment/sandbox/web/Xy3dEf6hIj9kLmNoPqRsT';
const WEB_42 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42';
const NOW = new Date('2026-12-06T08:00:00.000Z');
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAdo-secret-token';

const query: StabilityQuery = {
  cluster: 'sandbox',
  ecsService: 'web',
  serviceDeploymentArn: DEPLOYMENT,
  taskDefinitionArn: WEB_42,
  deadline: '2026-12-06T08:30:00.000Z',
  mode: 'deploy',
};

/** ECS's documented "ECS Deployment State Change" event (ECS Developer Guide), for web. */
const deploymentEvent = (eventName: string, deploymentId = 'ecs-svc/1234567890123456789') => ({
  version: '0',
  id: 'ddca6449-b258-46c0-8653-e0e3a6EXAMPLE',
  'detail-type': 'ECS Deployment State Change',
  source: 'aws.ecs',
  account: '123456789012',
  time: '2026-12-06T08:00:00Z',
  region: 'us-east-1',
  resources: [SERVICE_ARN],
  detail: {
    eventType: eventName === 'SERVICE_DEPLOYMENT_FAILED' ? 'ERROR' : 'INFO',
    eventName,
    deploymentId,
    updatedAt: '2026-12-06T07:59:59.000Z',
    reason: `ECS deployment ${deploymentId} ${eventName.toLowerCase()}.`,
  },
});

class MemoryWaits implements DeploymentWaitStore {
  readonly items = new Map<string, DeploymentWait>();
  async put(wait: DeploymentWait) {
    this.items.set(`${wait.service}|${wait.serviceDeploymentArn}`, structuredClone(wait));
  }
  async forService(service: string) {
    return [...this.items.values()].filter((wait) => wait.service === service);
  }
  async all() {
    return [...this.items.values()];
  }
  async remove({
    service,
    serviceDeploymentArn,
    taskToken,
  }: Pick<DeploymentWait, 'service' | 'serviceDeploymentArn' | 'taskToken'>) {
    const key = `${service}|${serviceDeploymentArn}`;
    if (this.items.get(key)?.taskToken !== taskToken) return false;
    return this.items.delete(key);
  }
}

/** Step Functions' side: each token answered once; a second answer finds the task gone. */
class Callbacks implements TaskCallbacks {
  readonly answers: { token: string; output?: unknown; error?: string; cause?: string }[] = [];
  readonly heartbeats: string[] = [];
  readonly gone = new Set<string>();
  async succeed(token: string, output: Record<string, unknown>): Promise<CallbackAnswer> {
    return this.#answer({ token, output });
  }
  async fail(token: string, error: string, cause: string): Promise<CallbackAnswer> {
    return this.#answer({ token, error, cause });
  }
  async heartbeat(token: string): Promise<CallbackAnswer> {
    if (this.gone.has(token)) return 'EXPIRED';
    this.heartbeats.push(token);
    return 'DELIVERED';
  }
  #answer(answer: Callbacks['answers'][number]): CallbackAnswer {
    if (this.gone.has(answer.token)) return 'EXPIRED';
    this.gone.add(answer.token);
    this.answers.push(answer);
    return 'DELIVERED';
  }
}

let status: ServiceDeploymentStatus;
let running: string;
let describeFails: number;
let waits: MemoryWaits;
let callbacks: Callbacks;
let ports: WaitPorts;
/** Where each look reached ECS: the target's access and the session's name. */
let reached: { access: unknown; who: string }[];
let looks: number;
const logger = new Logger({ serviceName: 'deployment-waits-test', logLevel: 'SILENT' });

beforeEach(() => {
  status = 'IN_PROGRESS';
  running = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41';
  describeFails = 0;
  looks = 0;
  waits = new MemoryWaits();
  callbacks = new Callbacks();
  reached = [];
  const ecs: ReturnType<WaitPorts['ecsFor']> = {
    describeServiceDeployment: async (arn) => {
      looks++;
      if (describeFails > 0) {
        describeFails--;
        throw new TransientError('ECS DescribeServiceDeployments throttled');
      }
      return arn === DEPLOYMENT || arn === PROD_DEPLOYMENT
        ? { arn, status, createdAt: NOW, lifecycleHooks: [] }
        : undefined;
    },
    describeService: async () => ({ taskDefinitionArn: running }) as never,
    stoppedTasks: async () => [],
  };
  ports = {
    ecsFor: (access, who) => {
      reached.push({ access, who });
      return ecs;
    },
    now: () => NOW,
    waits,
    callbacks,
  };
});

const awaitHandler = () => createAwaitDeploymentHandler({ ...ports, logger });
const eventsHandler = () => createEcsEventsHandler({ ...ports, logger });
const reconcileHandler = () => createReconcileWaitsHandler({ ...ports, logger });
const context = (name: string) => fakeLambdaContext(name);

/** A release waiting on DEPLOYMENT with TOKEN: awaitDeployment found it IN_PROGRESS. */
async function waiting(token = TOKEN) {
  await expect(awaitHandler()({ ...query, taskToken: token }, context('awaitDeployment'))).resolves.toEqual({
    waiting: true,
  });
}

describe('awaitDeployment', () => {
  it('stores the wait under the service and answers nothing while the deployment is in progress', async () => {
    await waiting();
    expect([...waits.items.values()]).toEqual([
      {
        service: '123456789012/us-east-1/sandbox/web',
        serviceDeploymentArn: DEPLOYMENT,
        query,
        taskToken: TOKEN,
        // An hour past the deadline: the table's TTL.
        expiresAt: Date.parse(query.deadline) / 1000 + 3600,
      },
    ]);
    expect(callbacks.answers).toEqual([]);
  });

  it('answers at once, and keeps nothing, when the deployment is already over', async () => {
    status = 'SUCCESSFUL';
    running = WEB_42;
    await expect(awaitHandler()({ ...query, taskToken: TOKEN }, context('awaitDeployment'))).resolves.toEqual({
      waiting: false,
    });
    expect(callbacks.answers).toEqual([
      {
        token: TOKEN,
        output: { status: 'SUCCESSFUL', deploymentStatus: 'SUCCESSFUL', checkedAt: NOW.toISOString() },
      },
    ]);
    expect(waits.items.size).toBe(0);
  });

  it('fails (for the task to retry) and keeps nothing when its look is throttled', async () => {
    describeFails = 1;
    await expect(awaitHandler()({ ...query, taskToken: TOKEN }, context('awaitDeployment'))).rejects.toThrow(
      TransientError,
    );
    expect(waits.items.size).toBe(0);
    expect(callbacks.answers).toEqual([]);
  });

  it('refuses a query without its token, storing nothing', async () => {
    await expect(awaitHandler()(query, context('awaitDeployment'))).rejects.toThrow(/taskToken/);
    expect(waits.items.size).toBe(0);
  });
});

describe('ecsEvents', () => {
  it('reads the service of ECS’s documented events, cluster and service as names', () => {
    expect(servicesOfEcsEvent(deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'))).toEqual({
      services: ['123456789012/us-east-1/sandbox/web'],
      eventName: 'SERVICE_DEPLOYMENT_COMPLETED',
    });
    const steady = {
      ...deploymentEvent('SERVICE_STEADY_STATE'),
      'detail-type': 'ECS Service Action',
      detail: { eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE', clusterArn: CLUSTER_ARN, createdAt: 'x' },
    };
    expect(servicesOfEcsEvent(steady).services).toEqual(['123456789012/us-east-1/sandbox/web']);
    expect(serviceKey(CLUSTER_ARN, SERVICE_ARN)).toBe('sandbox/web');
  });

  it('keys a wait in another account and region by where it is, and looks there as its release', async () => {
    const access = {
      account: '222222222222',
      region: 'us-west-2',
      roleArn: 'arn:aws:iam::222222222222:role/release-automation-deploy',
    };
    const prodQuery = {
      ...query,
      serviceDeploymentArn: PROD_DEPLOYMENT,
      access,
      control: { lockKey: 'web#production', releaseId: 'web-production-abc' },
    };
    await awaitHandler()({ ...prodQuery, taskToken: TOKEN }, context('awaitDeployment'));
    expect([...waits.items.values()].map((wait) => wait.service)).toEqual(['222222222222/us-west-2/sandbox/web']);
    expect(reached).toEqual([{ access, who: 'web-production-abc' }]);

    // The same names in the automation's own account are another service: its event wakes nothing here.
    const ownEvent = deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED');
    expect(await eventsHandler()(ownEvent, context('ecsEvents'))).toMatchObject({ answered: 0, waiting: 0 });
    const forwarded = {
      ...ownEvent,
      account: '222222222222',
      region: 'us-west-2',
      resources: ['arn:aws:ecs:us-west-2:222222222222:service/sandbox/web'],
    };
    expect(await eventsHandler()(forwarded, context('ecsEvents'))).toMatchObject({ waiting: 1 });
    expect(reached.at(-1)).toEqual({ access, who: 'web-production-abc' });
  });

  it('wakes the waiting release with ECS’s own answer when its deployment completes', async () => {
    await waiting();
    status = 'SUCCESSFUL';
    running = WEB_42;

    const report = await eventsHandler()(deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), context('ecsEvents'));

    expect(report).toEqual({ answered: 1, waiting: 0, gone: 0, failed: 0 });
    expect(callbacks.answers).toEqual([
      {
        token: TOKEN,
        output: { status: 'SUCCESSFUL', deploymentStatus: 'SUCCESSFUL', checkedAt: NOW.toISOString() },
      },
    ]);
    expect(waits.items.size).toBe(0);
  });

  it('fails the waiting task as the check would, named so the rollback path is unchanged', async () => {
    await waiting();
    status = 'ROLLBACK_SUCCESSFUL';

    await eventsHandler()(deploymentEvent('SERVICE_DEPLOYMENT_FAILED'), context('ecsEvents'));

    expect(callbacks.answers).toHaveLength(1);
    const [answer] = callbacks.answers;
    expect(answer?.error).toBe('DeploymentFailedError');
    // Lambda's cause shape: describeCaughtError reads it as it read the check's error.
    expect(JSON.parse(answer?.cause ?? '')).toMatchObject({
      errorType: 'DeploymentFailedError',
      errorMessage: expect.stringContaining('ROLLBACK_SUCCESSFUL'),
    });
    expect(answer?.cause).not.toContain(TOKEN);
  });

  it('changes nothing on a forged or stale COMPLETED event while ECS says the deployment is in progress', async () => {
    await waiting();

    const report = await eventsHandler()(deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), context('ecsEvents'));

    expect(report).toEqual({ answered: 0, waiting: 1, gone: 0, failed: 0 });
    expect(callbacks.answers).toEqual([]);
    expect(waits.items.size).toBe(1);
  });

  it('answers once when the same event comes twice, and after a reordered IN_PROGRESS', async () => {
    await waiting();
    status = 'SUCCESSFUL';
    running = WEB_42;
    const completed = deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED');

    await Promise.all([
      eventsHandler()(completed, context('ecsEvents')),
      eventsHandler()(completed, context('ecsEvents')),
    ]);
    await eventsHandler()(deploymentEvent('SERVICE_DEPLOYMENT_IN_PROGRESS'), context('ecsEvents'));

    expect(callbacks.answers).toHaveLength(1);
    expect(waits.items.size).toBe(0);
  });

  it('ignores an event of a service nobody waits on, asking ECS nothing', async () => {
    await waiting();
    const before = looks;
    const other = { ...deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), resources: [`${SERVICE_ARN}-other`] };

    await expect(eventsHandler()(other, context('ecsEvents'))).resolves.toEqual({
      answered: 0,
      waiting: 0,
      gone: 0,
      failed: 0,
    });
    expect(looks).toBe(before);
    expect(callbacks.answers).toEqual([]);
  });

  it('refuses an event that is not ECS’s', async () => {
    const forged = { ...deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), source: 'custom.ecs' };
    await expect(eventsHandler()(forged, context('ecsEvents'))).rejects.toThrow(/source/);
    expect(callbacks.answers).toEqual([]);
  });

  it('leaves the wait for the reconcile when its look is throttled', async () => {
    await waiting();
    status = 'SUCCESSFUL';
    running = WEB_42;
    describeFails = 1;

    const report = await eventsHandler()(deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), context('ecsEvents'));

    expect(report.failed).toBe(1);
    expect(waits.items.size).toBe(1);
    await reconcileHandler()({}, context('reconcileWaits'));
    expect(callbacks.answers).toHaveLength(1);
  });

  it('removes a wait whose task is gone (answered, timed out or its execution stopped)', async () => {
    await waiting();
    callbacks.gone.add(TOKEN);
    status = 'SUCCESSFUL';
    running = WEB_42;

    const report = await eventsHandler()(deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), context('ecsEvents'));

    expect(report).toEqual({ answered: 0, waiting: 0, gone: 1, failed: 0 });
    expect(waits.items.size).toBe(0);
  });
});

describe('the task token', () => {
  it('is never logged, by any of the three functions', async () => {
    const logged: unknown[] = [];
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
        logged.push(args);
      });
    }
    await waiting();
    describeFails = 1;
    await eventsHandler()(deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), context('ecsEvents'));
    status = 'ROLLBACK_SUCCESSFUL';
    await reconcileHandler()({}, context('reconcileWaits'));

    expect(callbacks.answers).toHaveLength(1);
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
    jest.restoreAllMocks();
  });
});

describe('reconcileWaits', () => {
  it('answers each wait whose events never came with ECS’s answer, and warns that it had to', async () => {
    await waiting();
    const other = `${DEPLOYMENT.replace('/web/', '/api/')}`;
    await waits.put({
      service: 'sandbox/api',
      serviceDeploymentArn: other,
      query: { ...query, ecsService: 'api', serviceDeploymentArn: other },
      taskToken: 'other-token',
      expiresAt: 0,
    });
    status = 'SUCCESSFUL';
    running = WEB_42;
    const warn = jest.spyOn(logger, 'warn');

    const report = await reconcileHandler()({}, context('reconcileWaits'));

    // api's deployment is unknown to this ECS: a failure, answered as the check would.
    expect(report).toEqual({ answered: 2, waiting: 0, gone: 0, failed: 0 });
    expect(callbacks.answers.map((answer) => [answer.token === TOKEN, answer.error])).toEqual(
      expect.arrayContaining([
        [true, undefined],
        [false, 'DeploymentFailedError'],
      ]),
    );
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('heartbeats a wait still in progress, and drops it once its task is gone', async () => {
    await waiting();

    await expect(reconcileHandler()({}, context('reconcileWaits'))).resolves.toMatchObject({ waiting: 1 });
    expect(callbacks.heartbeats).toEqual([TOKEN]);

    callbacks.gone.add(TOKEN);
    await expect(reconcileHandler()({}, context('reconcileWaits'))).resolves.toMatchObject({ gone: 1 });
    expect(waits.items.size).toBe(0);
  });

  it('answers an abort someone asked for while the deployment rolls on as ReleaseAborted, worded as the Aborted state', async () => {
    await waiting();
    const control = { action: 'abort' as const, releaseId: 'r1', requestedBy: 'ana', requestedAt: NOW.toISOString() };
    const withControls: WaitPorts = {
      ...ports,
      controls: () => ({ readControl: async () => control, renewLock: async () => true }),
    };
    const waited = {
      ...[...waits.items.values()][0],
      query: { ...query, control: { lockKey: 'web#staging', releaseId: 'r1' } },
    } as DeploymentWait;
    await waits.put(waited);

    await createReconcileWaitsHandler({ ...withControls, logger })({}, context('reconcileWaits'));

    expect(callbacks.answers).toEqual([
      { token: TOKEN, error: 'ReleaseAborted', cause: `aborted by ana at ${NOW.toISOString()}` },
    ]);
  });
});
