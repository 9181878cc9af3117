import type { Service } from '@aws-sdk/client-ecs';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import {
  call,
  describeDeployment,
  get,
  release,
  stoppedTasks,
  testWorld,
  updateImage,
  waitForDeployment,
} from '../support/ecs-world.ts';

// Rolling deployments of the demo service through the ECS API, with the load
// balancer's answers as the user sees them.

let world: EcsWorld;
let url: string;

beforeEach(async () => {
  world = testWorld();
  url = (await world.seedDemo({ port: 0 })).loadBalancer.url;
  await world.waitForSteadyState('web');
});

afterEach(() => world.stop());

const describeWeb = async (): Promise<Service> => {
  const { services } = await call<{ services: Service[] }>(world.ecs, 'DescribeServices', {
    cluster: 'sandbox',
    services: ['web'],
  });
  const service = services[0];
  if (!service) throw new Error('service web is missing');
  return service;
};

/** Requests the load balancer until `done` resolves; returns every answer. */
async function watchTraffic(done: Promise<unknown>): Promise<{ status: number; body: string }[]> {
  const answers: { status: number; body: string }[] = [];
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    // A refused connection is an answer too (status 0): the assertions then show it.
    answers.push(await get(url).catch(() => ({ status: 0, body: '' })));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return answers;
}

describe('a rolling deployment', () => {
  it('moves the service to a good tag: SUCCESSFUL, and the load balancer serves the new tag', async () => {
    const deployed = await release(world, 'v2');
    const traffic = watchTraffic(waitForDeployment(world, deployed.serviceDeploymentArn));
    const { deployment, statuses } = await waitForDeployment(world, deployed.serviceDeploymentArn);

    expect(statuses.at(-1)).toBe('SUCCESSFUL');
    expect(statuses).toContain('IN_PROGRESS');
    expect(deployment).toMatchObject({
      targetServiceRevision: { requestedTaskCount: 2, runningTaskCount: 2 },
      deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
    });
    expect(deployment.finishedAt).toBeInstanceOf(Date);
    // No request failed while the tasks were replaced.
    expect((await traffic).every((answer) => answer.status === 200)).toBe(true);
    const answer = await get(url);
    expect(answer.body).toMatch(/^demo\/web v2 \(task [0-9a-f]{32}\)/);

    const service = await describeWeb();
    expect(service.taskDefinition).toBe(deployed.taskDefinitionArn);
    expect(service.currentServiceDeployment).toBe(deployed.serviceDeploymentArn);
    expect(service.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        runningCount: 2,
        taskDefinition: deployed.taskDefinitionArn,
      }),
    ]);
    expect(service.events?.[0]?.message).toBe('(service web) has reached a steady state.');
    expect(service.events?.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/),
    );

    const stopped = await stoppedTasks(world);
    expect(stopped).toHaveLength(2);
    for (const task of stopped) {
      expect(task).toMatchObject({
        lastStatus: 'STOPPED',
        stopCode: 'ServiceSchedulerInitiated',
        taskDefinitionArn: deployed.previousTaskDefinitionArn,
        containers: [expect.objectContaining({ exitCode: 0, lastStatus: 'STOPPED' })],
      });
      expect(task.stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/);
      expect(task.stoppedAt).toBeInstanceOf(Date);
    }
  });

  it('rolls back a tag whose container exits at start: the circuit breaker trips, old tasks keep serving', async () => {
    const deployed = await release(world, 'v2-crash');
    const traffic = watchTraffic(waitForDeployment(world, deployed.serviceDeploymentArn));
    const { deployment, statuses } = await waitForDeployment(world, deployed.serviceDeploymentArn);

    // Polling may miss a status, never reorder them.
    expect(statuses.filter((s) => s.startsWith('ROLLBACK'))).toEqual(
      ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'].filter((s) => statuses.includes(s)),
    );
    expect(statuses.at(-1)).toBe('ROLLBACK_SUCCESSFUL');
    expect(deployment.statusReason).toBe(
      'Service deployment rolled back because the circuit breaker threshold was exceeded.',
    );
    expect(deployment.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    expect(deployment.rollback?.serviceRevisionArn).toBe(deployment.sourceServiceRevisions?.[0]?.arn);
    expect(deployment.rollback?.startedAt).toBeInstanceOf(Date);
    const answers = await traffic;
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.status === 200 && a.body.startsWith('demo/web v1 '))).toBe(true);

    const service = await describeWeb();
    expect(service.taskDefinition).toBe(deployed.previousTaskDefinitionArn);
    expect(service.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 });
    const messages = service.events?.map((e) => e.message) ?? [];
    expect(messages).toContainEqual(
      expect.stringMatching(/deployment ecs-svc\/\d+ deployment failed: tasks failed to start\.$/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service web\) rolling back to deployment ecs-svc\/\d+\.$/),
    );

    // Replacements still starting when the breaker tripped were stopped by the rollback instead.
    const crashed = (await stoppedTasks(world)).filter(
      (t) => t.taskDefinitionArn === deployed.taskDefinitionArn && t.stopCode === 'EssentialContainerExited',
    );
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed[0]).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [expect.objectContaining({ name: 'web', exitCode: 1, lastStatus: 'STOPPED' })],
    });
    expect(crashed[0]?.startedAt).toBeUndefined();
  });

  it('rolls back a tag that fails its load balancer health checks', async () => {
    const deployed = await release(world, 'v2-bad');
    const { deployment } = await waitForDeployment(world, deployed.serviceDeploymentArn);

    expect(deployment.status).toBe('ROLLBACK_SUCCESSFUL');
    const failed = (await stoppedTasks(world)).filter(
      (t) => t.taskDefinitionArn === deployed.taskDefinitionArn && t.stoppedReason?.startsWith('Task failed'),
    );
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]?.stoppedReason).toMatch(
      /^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:.+:targetgroup\/sandbox-web\/[0-9a-f]{16}\)$/,
    );
    const messages = (await describeWeb()).events?.map((e) => e.message) ?? [];
    expect(messages).toContainEqual(
      expect.stringMatching(
        /is unhealthy in \(target-group .+\) due to \(reason Health checks failed with these codes: \[500\]\)\.$/,
      ),
    );
    expect((await get(url)).body).toMatch(/^demo\/web v1 /);
  });

  it('rolls back an image the registry does not have: the tasks cannot pull it', async () => {
    const missing = `${world.ecr.registry.registryHost}/demo/web@sha256:${'0'.repeat(64)}`;
    const deployed = await updateImage(world, missing);
    const { deployment } = await waitForDeployment(world, deployed.serviceDeploymentArn);

    expect(deployment.status).toBe('ROLLBACK_SUCCESSFUL');
    const failed = (await stoppedTasks(world)).find((t) => t.stopCode === 'TaskFailedToStart');
    expect(failed?.taskDefinitionArn).toBe(deployed.taskDefinitionArn);
    expect(failed?.stoppedReason).toMatch(/^CannotPullContainerError: .*not found$/);
  });

  it('rolls back on StopServiceDeployment(ROLLBACK) while new tasks are starting', async () => {
    const deployed = await release(world, 'v2');
    await waitForDeployment(
      world,
      deployed.serviceDeploymentArn,
      (d) => (d.targetServiceRevision?.pendingTaskCount ?? 0) > 0,
    );
    await expect(
      call(world.ecs, 'StopServiceDeployment', {
        serviceDeploymentArn: deployed.serviceDeploymentArn,
        stopType: 'ROLLBACK',
      }),
    ).resolves.toEqual({ serviceDeploymentArn: deployed.serviceDeploymentArn });
    expect((await describeDeployment(world, deployed.serviceDeploymentArn)).status).toBe('ROLLBACK_REQUESTED');
    const { deployment, statuses } = await waitForDeployment(world, deployed.serviceDeploymentArn);

    expect(statuses.at(-1)).toBe('ROLLBACK_SUCCESSFUL');
    expect(statuses).not.toContain('SUCCESSFUL');
    expect(deployment.statusReason).toBe('Service deployment rolled back because of a StopServiceDeployment request.');
    expect((await describeWeb()).taskDefinition).toBe(deployed.previousTaskDefinitionArn);
    expect((await get(url)).body).toMatch(/^demo\/web v1 /);
    await expect(
      call(world.ecs, 'StopServiceDeployment', { serviceDeploymentArn: deployed.serviceDeploymentArn }),
    ).rejects.toMatchObject({ code: 'ConflictException' });
  });

  it('stops a failed deployment without rolling back when rollback is off', async () => {
    await call(world.ecs, 'UpdateService', {
      cluster: 'sandbox',
      service: 'web',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    const deployed = await release(world, 'v3-crash');
    const { deployment } = await waitForDeployment(world, deployed.serviceDeploymentArn);

    expect(deployment).toMatchObject({ status: 'STOPPED', deploymentCircuitBreaker: { status: 'TRIGGERED' } });
    const service = await describeWeb();
    expect(service.deployments?.[0]).toMatchObject({
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    // The old tasks were never replaced.
    expect((await get(url)).body).toMatch(/^demo\/web v1 /);
  });

  it('supersedes a running deployment with a newer one', async () => {
    const first = await release(world, 'v2');
    const second = await release(world, 'v3');
    expect((await waitForDeployment(world, second.serviceDeploymentArn)).deployment.status).toBe('SUCCESSFUL');
    const superseded = (await waitForDeployment(world, first.serviceDeploymentArn)).deployment;
    expect(superseded).toMatchObject({ status: 'STOPPED' });
    expect((await get(url)).body).toMatch(/^demo\/web v3 /);

    const { serviceDeployments } = await call<{
      serviceDeployments: { serviceDeploymentArn: string; status: string }[];
    }>(world.ecs, 'ListServiceDeployments', { cluster: 'sandbox', service: 'web' });
    expect(serviceDeployments.map((d) => d.serviceDeploymentArn).slice(0, 2)).toEqual([
      second.serviceDeploymentArn,
      first.serviceDeploymentArn,
    ]);
    expect(serviceDeployments).toHaveLength(3);
  });
});
