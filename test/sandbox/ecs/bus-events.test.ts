import type { Service } from '@aws-sdk/client-ecs';
import { jest } from '@jest/globals';
import type { EcsBusEvent, EcsTaskStateChangeEvent, EcsWorld } from '../../../sandbox/ecs/index.ts';
import { call, release, testWorld, updateImage, waitForDeployment } from '../support/ecs-world.ts';

// What the sandbox's ECS puts on the event bus, checked against the Amazon ECS
// Developer Guide's examples ("Amazon ECS service deployment state change
// events", "Amazon ECS service action events"): the same fields, nothing more,
// and the deployment ids DescribeServices shows.

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:000000000000:service/sandbox/web';
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:000000000000:cluster/sandbox';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The envelope every documented example shares: `time` to the second, the service's ARN as the one resource. */
const envelope = (detailType: string) => ({
  version: '0',
  id: expect.stringMatching(/^[0-9a-f-]{36}$/),
  'detail-type': detailType,
  source: 'aws.ecs',
  account: '000000000000',
  time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
  region: 'us-east-1',
  resources: [SERVICE_ARN],
});

const deploymentEvent = (eventName: string, deploymentId: string, reason: string) => ({
  ...envelope('ECS Deployment State Change'),
  detail: {
    eventType: eventName === 'SERVICE_DEPLOYMENT_FAILED' ? 'ERROR' : 'INFO',
    eventName,
    deploymentId,
    updatedAt: expect.stringMatching(ISO_MS),
    reason,
  },
});

const serviceAction = (eventType: string, eventName: string) => ({
  ...envelope('ECS Service Action'),
  detail: { eventType, eventName, clusterArn: CLUSTER_ARN, createdAt: expect.stringMatching(ISO_MS) },
});

type ServiceEvent = Exclude<EcsBusEvent, EcsTaskStateChangeEvent>;

let world: EcsWorld;
/** The deployment and service events; task state changes apart. */
let events: ServiceEvent[];
let taskEvents: EcsTaskStateChangeEvent[];

beforeEach(async () => {
  events = [];
  taskEvents = [];
  world = testWorld({
    onEvent: (event) => {
      if (event['detail-type'] === 'ECS Task State Change') taskEvents.push(event);
      else events.push(event);
    },
  });
  await world.seedDemo({ port: 0 });
  await world.waitForSteadyState('web');
});

afterEach(() => world.stop());

const describeWeb = async (): Promise<Service> => {
  const { services } = await call<{ services: Service[] }>(world.ecs, 'DescribeServices', {
    cluster: 'sandbox',
    services: ['web'],
  });
  if (!services[0]) throw new Error('service web is missing');
  return services[0];
};

/** What the events said, in order: `eventName deploymentId?`. */
const said = () =>
  events.map((e) =>
    'deploymentId' in e.detail ? `${e.detail.eventName} ${e.detail.deploymentId}` : e.detail.eventName,
  );

describe("the sandbox's ECS events", () => {
  it("says a new service's first deployment is in progress, then completed, then steady", async () => {
    const [first] = (await describeWeb()).deployments ?? [];
    const id = first?.id ?? '';
    expect(id).toMatch(/^ecs-svc\/\d+$/);
    expect(events).toEqual([
      deploymentEvent('SERVICE_DEPLOYMENT_IN_PROGRESS', id, `ECS deployment ${id} in progress.`),
      deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED', id, `ECS deployment ${id} completed.`),
      serviceAction('INFO', 'SERVICE_STEADY_STATE'),
    ]);
  });

  it('names the deployment UpdateService started by the id DescribeServices shows', async () => {
    events.length = 0;
    const deployed = await release(world, 'v2');
    const id = (await describeWeb()).deployments?.[0]?.id ?? '';
    await waitForDeployment(world, deployed.serviceDeploymentArn);
    await world.waitForSteadyState('web');

    expect(said()).toEqual([
      `SERVICE_DEPLOYMENT_IN_PROGRESS ${id}`,
      `SERVICE_DEPLOYMENT_COMPLETED ${id}`,
      'SERVICE_STEADY_STATE',
    ]);
    expect(events[0]).toEqual(
      deploymentEvent('SERVICE_DEPLOYMENT_IN_PROGRESS', id, `ECS deployment ${id} in progress.`),
    );
    // The old revision's two tasks, as each stopped.
    const stopped = taskEvents.filter((e) => e.detail.lastStatus === 'STOPPED');
    expect(stopped).toHaveLength(2);
    expect(stopped[0]?.detail).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: expect.stringMatching(/^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/),
      stoppingAt: expect.stringMatching(ISO_MS),
      stoppedAt: expect.stringMatching(ISO_MS),
    });
  });

  it('says a deployment failed (circuit breaker), then that the rollback to the last completed one is in progress and completed', async () => {
    const before = (await describeWeb()).deployments?.[0]?.id ?? '';
    events.length = 0;
    const missing = `${world.ecr.registry.registryHost}/demo/web@sha256:${'0'.repeat(64)}`;
    const deployed = await updateImage(world, missing);
    const failedId = (await describeWeb()).deployments?.[0]?.id ?? '';
    const { deployment } = await waitForDeployment(world, deployed.serviceDeploymentArn);
    expect(deployment.status).toBe('ROLLBACK_SUCCESSFUL');
    await world.waitForSteadyState('web');
    const rollbackId = (await describeWeb()).deployments?.[0]?.id ?? '';
    expect(new Set([before, failedId, rollbackId]).size).toBe(3);

    const deploymentEvents = events.filter((e) => e['detail-type'] === 'ECS Deployment State Change');
    expect(deploymentEvents).toEqual([
      deploymentEvent('SERVICE_DEPLOYMENT_IN_PROGRESS', failedId, `ECS deployment ${failedId} in progress.`),
      deploymentEvent('SERVICE_DEPLOYMENT_FAILED', failedId, 'ECS deployment circuit breaker: tasks failed to start.'),
      deploymentEvent(
        'SERVICE_DEPLOYMENT_IN_PROGRESS',
        rollbackId,
        `ECS deployment circuit breaker: rolling back to deploymentId ${before}.`,
      ),
      deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED', rollbackId, `ECS deployment ${rollbackId} completed.`),
    ]);
    expect(events.at(-1)).toEqual(serviceAction('INFO', 'SERVICE_STEADY_STATE'));
  });

  it("tells each task's changes as DescribeTasks shows them, dates as ISO strings, a new version each time", async () => {
    const [task] = taskEvents;
    const taskArn = task?.detail.taskArn ?? '';
    const ofTask = taskEvents.filter((e) => e.detail.taskArn === taskArn);
    expect(ofTask.map((e) => e.detail.lastStatus)).toEqual(['PROVISIONING', 'PENDING', 'RUNNING']);
    const versions = ofTask.map((e) => e.detail.version ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
    const running = ofTask[2];
    expect(running).toMatchObject({
      version: '0',
      'detail-type': 'ECS Task State Change',
      source: 'aws.ecs',
      account: '000000000000',
      region: 'us-east-1',
      resources: [taskArn],
      detail: {
        taskArn,
        clusterArn: CLUSTER_ARN,
        group: 'service:web',
        launchType: 'FARGATE',
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
        createdAt: expect.stringMatching(ISO_MS),
        startedAt: expect.stringMatching(ISO_MS),
        pullStartedAt: expect.stringMatching(ISO_MS),
        updatedAt: expect.stringMatching(ISO_MS),
        containers: [expect.objectContaining({ name: 'web', lastStatus: 'RUNNING', taskArn })],
      },
    });
    const { tasks } = await call<{ tasks: { version?: number }[] }>(world.ecs, 'DescribeTasks', {
      cluster: 'sandbox',
      tasks: [taskArn],
    });
    expect(running?.detail.version).toBe(tasks[0]?.version);
  });

  it('goes on when a listener fails: the service still becomes steady', async () => {
    const quiet = testWorld({
      onEvent: () => {
        throw new Error('listener down');
      },
    });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await quiet.seedDemo({ port: 0 });
      await quiet.waitForSteadyState('web');
      expect(errors).toHaveBeenCalledWith('ecs: an event listener failed:', expect.any(Error));
    } finally {
      errors.mockRestore();
      await quiet.stop();
    }
  });
});
