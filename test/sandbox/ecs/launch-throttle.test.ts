import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { EcsBusEvent, EcsTaskStateChangeEvent, EcsWorld } from '../../../sandbox/ecs/index.ts';
import { FIRST_RETRY_DELAY, LaunchThrottle, MAX_RETRY_DELAY } from '../../../sandbox/ecs/launch-throttle.ts';
import { Pacer } from '../../../sandbox/ecs/pacing.ts';
import { call, release, testWorld, waitForDeployment } from '../support/ecs-world.ts';

// ECS's service throttle logic: a service whose tasks keep failing to start
// (here an image the registry does not have, the circuit breaker off, so
// nothing stops the scheduler from trying) launches fewer and fewer of them,
// says it is "unable to consistently start tasks successfully" in its events
// and on the bus, and starts normally again after a new deployment.

/** Fast enough that two nominal minutes take 1.2 s. */
const FACTOR = 0.01;

let world: EcsWorld;
let events: Exclude<EcsBusEvent, EcsTaskStateChangeEvent>[];
let started: { at: number; count: number }[];

/** A world whose demo service is steady, recording its bus events and each launch. */
async function steadyWorld(timeFactor: number): Promise<void> {
  events = [];
  started = [];
  world = testWorld({
    timeFactor,
    onEvent: (event) => {
      if (event['detail-type'] !== 'ECS Task State Change') events.push(event);
    },
    onServiceEvent: (_service, event) => {
      const count = /has started (\d+) tasks/.exec(event.message ?? '')?.[1];
      if (count) started.push({ at: Date.now(), count: Number(count) });
    },
  });
  await world.seedDemo({ port: 0 });
  await world.waitForSteadyState('web');
}

afterEach(() => world?.stop());

const describeWeb = async (): Promise<Service> => {
  const { services } = await call<{ services: Service[] }>(world.ecs, 'DescribeServices', {
    cluster: 'sandbox',
    services: ['web'],
  });
  if (!services[0]) throw new Error('service web is missing');
  return services[0];
};

/** Updates web to an image the registry does not have, with the circuit breaker off. */
async function deployUnpullable(): Promise<void> {
  const { taskDefinition } = await call<{ taskDefinition: TaskDefinition }>(world.ecs, 'DescribeTaskDefinition', {
    taskDefinition: 'web:1',
  });
  const missing = `${world.ecr.registry.registryHost}/demo/web@sha256:${'0'.repeat(64)}`;
  const registered = await call<{ taskDefinition: TaskDefinition }>(world.ecs, 'RegisterTaskDefinition', {
    family: 'web',
    networkMode: taskDefinition.networkMode,
    requiresCompatibilities: taskDefinition.requiresCompatibilities,
    cpu: taskDefinition.cpu,
    memory: taskDefinition.memory,
    containerDefinitions: (taskDefinition.containerDefinitions ?? []).map((c) => ({ ...c, image: missing })),
  });
  await call(world.ecs, 'UpdateService', {
    cluster: 'sandbox',
    service: 'web',
    taskDefinition: registered.taskDefinition.taskDefinitionArn,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ECS's launch throttle", () => {
  it('launches a handful of tasks in two minutes when none can start, not one every tick', async () => {
    await steadyWorld(FACTOR);
    started = [];
    await deployUnpullable();
    await sleep(120 * 1000 * FACTOR);

    // Attempts at about 0, 20, 55 and 125 s (15 s after the first failure, doubling): 2 tasks each.
    // Without the throttle: 2 tasks about every 6 s, some 40.
    const launched = started.reduce((sum, s) => sum + s.count, 0);
    expect(launched).toBeGreaterThanOrEqual(4);
    expect(launched).toBeLessThanOrEqual(8);

    const messages = (await describeWeb()).events?.map((e) => e.message) ?? [];
    expect(messages).toContain(
      '(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service web\) \(task [0-9a-f]{32}\) failed to start: CannotPullContainerError: pull image manifest has been retried 5 time\(s\): failed to resolve ref .+: not found$/,
      ),
    );
    const impaired = events.filter((e) => e.detail.eventName === 'SERVICE_TASK_START_IMPAIRED');
    expect(impaired.length).toBeGreaterThanOrEqual(1);
    expect(impaired[0]).toMatchObject({
      'detail-type': 'ECS Service Action',
      source: 'aws.ecs',
      resources: ['arn:aws:ecs:us-east-1:000000000000:service/sandbox/web'],
      detail: {
        eventType: 'WARN',
        eventName: 'SERVICE_TASK_START_IMPAIRED',
        clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/sandbox',
      },
    });
    // The old revision keeps serving: nothing stops it while the new one cannot start.
    expect((await describeWeb()).runningCount).toBe(2);
  });

  it('ends with a new deployment: a good image starts at once, not after the back-off, and completes', async () => {
    const factor = 0.05;
    await steadyWorld(factor);
    await deployUnpullable();
    // Impaired at the second failed attempt, which set a 30-second wait.
    while (!events.some((e) => e.detail.eventName === 'SERVICE_TASK_START_IMPAIRED')) await sleep(10);

    const updatedAt = Date.now();
    const deployed = await release(world, 'v2');
    const { deployment } = await waitForDeployment(world, deployed.serviceDeploymentArn);
    expect(deployment.status).toBe('SUCCESSFUL');
    // Before the 30-second wait the throttle had set would have let a task start (on a busy machine
    // "at once" takes a few hundred milliseconds of the sandbox's own work).
    const next = started.find((s) => s.at >= updatedAt);
    expect((next?.at ?? Number.POSITIVE_INFINITY) - updatedAt).toBeLessThan(30 * 1000 * factor);
  });
});

describe('the back-off', () => {
  const pacer = new Pacer(1);
  afterAll(() => pacer.stop());

  it('doubles from 15 nominal seconds up to 27 minutes, one step per failed attempt, on the sandbox clock', () => {
    const throttle = new LaunchThrottle();
    const delays: number[] = [];
    let now = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const counted = throttle.failed(pacer, now);
      delays.push(counted?.delaySeconds ?? -1);
      // A second task of the same attempt, failing while the wait runs, is not a new attempt.
      expect(throttle.failed(pacer, now + 1)).toBeUndefined();
      expect(throttle.mayLaunch(now + (counted?.delaySeconds ?? 0) * 1000 - 1)).toBe(false);
      now += (counted?.delaySeconds ?? 0) * 1000;
      expect(throttle.mayLaunch(now)).toBe(true);
    }
    expect(delays).toEqual([15, 30, 60, 120, 240, 480, 960, MAX_RETRY_DELAY, MAX_RETRY_DELAY, MAX_RETRY_DELAY]);
    expect(FIRST_RETRY_DELAY).toBe(15);
    expect(throttle.attempts).toBe(10);
  });

  it('scales the wait by the time factor', () => {
    const fast = new Pacer(0.05);
    const throttle = new LaunchThrottle();
    throttle.failed(fast, 0);
    expect(throttle.mayLaunch(749)).toBe(false);
    expect(throttle.mayLaunch(750)).toBe(true);
    fast.stop();
  });

  it('ends when a task starts after the last failure, not for one that was running before', () => {
    const throttle = new LaunchThrottle();
    throttle.failed(pacer, 1_000);
    throttle.started(500);
    expect(throttle.attempts).toBe(1);
    throttle.started(2_000);
    expect(throttle.attempts).toBe(0);
    expect(throttle.mayLaunch(2_001)).toBe(true);
  });
});
