import { setTimeout as sleep } from 'node:timers/promises';
import type { Service } from '@aws-sdk/client-ecs';
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { type EventBridgeEvent, EventBus } from '../../../sandbox/eventbus/bus.ts';
import { FaultInjector } from '../../../sandbox/faults/injector.ts';
import { parseFaultSpec } from '../../../sandbox/faults/rules.ts';
import { call, release, testWorld, waitForDeployment } from '../support/ecs-world.ts';

// ECS's events on the sandbox's event bus, as a rule on "ECS Deployment State
// Change" sees them (the release's wait on a deployment listens so), and what
// the event-delivery faults on `events.aws.ecs` do to them: at least once is
// sometimes twice, and sometimes (with a fault) never.

const PATTERN = { source: ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'] };

let world: EcsWorld;
let bus: EventBus;
let faults: FaultInjector;
let delivered: EventBridgeEvent[];

async function start(...specs: string[]): Promise<void> {
  faults = new FaultInjector();
  faults.add(...specs.map(parseFaultSpec));
  delivered = [];
  bus = new EventBus({
    rules: [{ name: 'on-deployment', bus: 'default', pattern: PATTERN, target: { kind: 'function', key: 'waiter' } }],
    targets: {
      startExecution: async () => undefined,
      invokeFunction: async (_key, event) => delivered.push(event as EventBridgeEvent),
    },
    fate: (event) => faults.eventFate(event.source),
  });
  world = testWorld({ onEvent: (event) => bus.publish(event) });
  await world.seedDemo({ port: 0 });
  await world.waitForSteadyState('web');
}

afterEach(async () => {
  await world.stop();
  await bus.close();
});

/** Releases v2 and waits until it has completed; returns its `ecs-svc/…` id. */
async function releaseV2(): Promise<string> {
  const deployed = await release(world, 'v2');
  const { services } = await call<{ services: Service[] }>(world.ecs, 'DescribeServices', {
    cluster: 'sandbox',
    services: ['web'],
  });
  await waitForDeployment(world, deployed.serviceDeploymentArn);
  await world.waitForSteadyState('web');
  await sleep(50); // deliveries are asynchronous
  return services[0]?.deployments?.[0]?.id ?? '';
}

const names = (events: EventBridgeEvent[], deploymentId: string) =>
  events
    .map((e) => e.detail as { eventName: string; deploymentId: string })
    .filter((d) => d.deploymentId === deploymentId)
    .map((d) => d.eventName);

describe("ECS's events on the event bus", () => {
  it('reach a rule on "ECS Deployment State Change": in progress and completed, no service actions', async () => {
    await start();
    delivered.length = 0;
    const id = await releaseV2();

    expect(names(delivered, id)).toEqual(['SERVICE_DEPLOYMENT_IN_PROGRESS', 'SERVICE_DEPLOYMENT_COMPLETED']);
    expect(delivered.every((e) => e.source === 'aws.ecs' && e['detail-type'] === 'ECS Deployment State Change')).toBe(
      true,
    );
    expect(faults.counts().byKind.drop).toBe(0);
  });

  it('are lost with drop@1:events.aws.ecs, and counted as dropped', async () => {
    await start('drop@1:events.aws.ecs');
    const id = await releaseV2();

    expect(delivered).toEqual([]);
    expect(id).toMatch(/^ecs-svc\/\d+$/);
    // Only events some rule matched are drawn: the first deployment's two and v2's two.
    expect(faults.counts().byOperation).toEqual({ 'events.aws.ecs': { drop: 4 } });
  });

  it('arrive twice, with the same id, with duplicate@1:events.aws.ecs', async () => {
    await start('duplicate@1:events.aws.ecs');
    delivered.length = 0;
    const id = await releaseV2();

    expect(names(delivered, id)).toEqual([
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_COMPLETED',
      'SERVICE_DEPLOYMENT_COMPLETED',
    ]);
    const ofV2 = delivered.filter((e) => (e.detail as { deploymentId?: string }).deploymentId === id);
    expect(new Set(ofV2.map((e) => e.id)).size).toBe(2);
  });

  it('arrive out of order when the first is delayed past the deployment: completed, then in progress', async () => {
    await start();
    // Longer than the whole deployment takes at the tests' time factor (under a second).
    faults.add(parseFaultSpec('delay=2500ms@1:events.aws.ecs#1'));
    const id = await releaseV2();
    for (let turn = 0; turn < 100 && names(delivered, id).length < 2; turn++) await sleep(50);

    expect(names(delivered, id)).toEqual(['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_IN_PROGRESS']);
    expect(faults.counts().byOperation).toEqual({ 'events.aws.ecs': { delay: 1 } });
  });
});
