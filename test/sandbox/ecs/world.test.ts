import { connect } from 'node:net';
import type { Task } from '@aws-sdk/client-ecs';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { ecsWorldStarter } from '../../../sandbox/ecs/starter.ts';
import type { EventBridgeEvent } from '../../../sandbox/eventbus/bus.ts';
import { call, get, release, TEST_TIME_FACTOR, testWorld } from '../support/ecs-world.ts';

// The world as a whole: it starts many services, plugs into the sandbox,
// and stop() leaves nothing listening.

/** Whether something accepts connections on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function taskPorts(world: EcsWorld, service: string): Promise<number[]> {
  const { taskArns } = await call<{ taskArns: string[] }>(world.ecs, 'ListTasks', {
    cluster: 'sandbox',
    serviceName: service,
  });
  const { tasks } = await call<{ tasks: Task[] }>(world.ecs, 'DescribeTasks', { cluster: 'sandbox', tasks: taskArns });
  return tasks.flatMap((t) => t.containers?.flatMap((c) => c.networkBindings?.map((b) => b.hostPort ?? 0) ?? []) ?? []);
}

describe('the ECS world', () => {
  it('stops every task server and load balancer, even mid-deployment', async () => {
    const world = testWorld();
    const demo = await world.seedDemo({ port: 0 });
    await world.waitForSteadyState('web');
    const ports = [demo.loadBalancer.port, ...(await taskPorts(world, 'web'))];
    await release(world, 'v2');
    await new Promise((resolve) => setTimeout(resolve, 150)); // new tasks are starting
    ports.push(...(await taskPorts(world, 'web')));
    expect(ports.length).toBeGreaterThanOrEqual(3);
    for (const port of ports) expect(await listening(port)).toBe(true);

    await world.stop();
    await world.stop(); // idempotent
    for (const port of ports) expect(await listening(port)).toBe(false);
  });

  it('runs 20 services of 2 tasks each, and deploys them all at once', async () => {
    const world = testWorld();
    try {
      const names = Array.from({ length: 20 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
      const handles = await Promise.all(
        names.map((service) => world.ensureService({ service, repository: `bench/${service}`, tag: 'v1' })),
      );
      await Promise.all(names.map((service) => world.waitForSteadyState(service)));
      const started = Date.now();
      await Promise.all(
        names.map((service) =>
          release(world, 'v2', { cluster: 'sandbox', service, family: service, repository: `bench/${service}` }),
        ),
      );
      await Promise.all(names.map((service) => world.waitForSteadyState(service)));
      const elapsed = Date.now() - started;
      for (const handle of handles) {
        expect((await get(handle.loadBalancer.url)).body).toMatch(new RegExp(`^bench/${handle.service} v2 `));
      }
      // One deployment takes ~40 nominal seconds; twenty at once should not take much longer.
      expect(elapsed).toBeLessThan(40_000 * TEST_TIME_FACTOR * 4);
    } finally {
      await world.stop();
    }
  });

  it("plugs into the sandbox: emulators, the demo on its port, ECS's and ECR's events onto the bus", async () => {
    const published: EventBridgeEvent[] = [];
    const lines: string[] = [];
    const started = await ecsWorldStarter({
      location: { accountId: '123456789012', region: 'eu-west-1' },
      timeFactor: TEST_TIME_FACTOR,
      publishEvent: (event) => published.push(event),
      lbPorts: { web: 0 },
      demoTrafficPerSecond: 0,
      print: (line) => lines.push(line),
    });
    try {
      expect(started.emulators.map((e) => e.signingName)).toEqual(['ecs', 'ecr', 'monitoring']);
      const world = started.handle as EcsWorld;
      expect((await get(world.loadBalancer('web')?.url ?? '')).body).toMatch(/^demo\/web v1 /);
      expect(lines).toContainEqual('  ecs (service web) has reached a steady state.');
      // The demo's first deployment, as ECS tells the bus (beside its tasks' state changes).
      expect(published.some((event) => event['detail-type'] === 'ECS Task State Change')).toBe(true);
      const told = published.filter((event) => event['detail-type'] !== 'ECS Task State Change');
      expect(told.map((event) => [event.source, (event.detail as { eventName: string }).eventName])).toEqual([
        ['aws.ecs', 'SERVICE_DEPLOYMENT_IN_PROGRESS'],
        ['aws.ecs', 'SERVICE_DEPLOYMENT_COMPLETED'],
        ['aws.ecs', 'SERVICE_STEADY_STATE'],
      ]);
      expect(told[0]).toMatchObject({
        account: '123456789012',
        region: 'eu-west-1',
        resources: ['arn:aws:ecs:eu-west-1:123456789012:service/sandbox/web'],
      });
      published.length = 0;
      const pushed = await world.ecr.push('demo/web', 'v2');
      await new Promise((resolve) => setImmediate(resolve));
      // ECR sends the push, then (the repository scans on push) the scan's result.
      expect(published.map((event) => event['detail-type'])).toEqual(['ECR Image Action', 'ECR Image Scan']);
      expect(published[0]).toEqual(pushed.event);
      expect(published[0]).toMatchObject({ account: '123456789012', region: 'eu-west-1' });
      expect(published[1]?.detail).toMatchObject({ 'image-digest': pushed.event?.detail['image-digest'] });
      expect(pushed.imageUri).toMatch(/^123456789012\.dkr\.ecr\.eu-west-1\.localhost\/demo\/web@sha256:/);
    } finally {
      await started.close();
    }
  });
});
