import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { EventBus, newEvent } from '../../../sandbox/eventbus/bus.ts';
import type { EventRule } from '../../../sandbox/eventbus/rules.ts';
import { FaultInjector } from '../../../sandbox/faults/injector.ts';
import { parseFaultSpec } from '../../../sandbox/faults/rules.ts';

// Event-delivery faults: an event of a source is dropped, delivered late or
// delivered twice before any rule's target sees it, so losing or repeating
// EventBridge's events (ECR's are best effort) is testable.

const location = { accountId: '000000000000', region: 'us-east-1' };
const rule = (source: string): EventRule => ({
  name: `on-${source}`,
  bus: 'default',
  pattern: { source: [source] },
  target: { kind: 'function', key: source },
});

/** A bus whose deliveries are recorded (by source, with their wall-clock time) under the injector's rules. */
function busWith(...specs: string[]) {
  const faults = new FaultInjector();
  faults.add(...specs.map(parseFaultSpec));
  const delivered: { source: string; at: number }[] = [];
  const bus = new EventBus({
    rules: [rule('aws.ecr'), rule('aws.ecs')],
    targets: {
      startExecution: async () => undefined,
      invokeFunction: async (key) => delivered.push({ source: key, at: Date.now() }),
    },
    fate: (event) => faults.eventFate(event.source),
  });
  const publish = (source: string) => bus.publish(newEvent({ source, 'detail-type': 'Test', detail: {} }, location));
  /** Waits until `count` deliveries have been made, and a little longer for any that should not be. */
  const settled = async (count: number) => {
    for (let turn = 0; turn < 100 && delivered.length < count; turn++) await sleep(10);
    await sleep(50);
    await bus.close();
  };
  return { faults, delivered, publish, settled };
}

describe('event-delivery faults', () => {
  it('reads drop, duplicate and delay on events.<source> from the command line', () => {
    expect(parseFaultSpec('drop@1:events.aws.ecr')).toEqual({
      service: 'events',
      operation: 'aws.ecr',
      fault: 'drop',
      rate: 1,
    });
    expect(parseFaultSpec('delay=300ms@1:events.aws.ecr#1')).toMatchObject({
      fault: 'delay',
      latencyMs: 300,
      times: 1,
    });
    expect(parseFaultSpec('duplicate@1:events.aws.ecs#2')).toEqual({
      service: 'events',
      operation: 'aws.ecs',
      fault: 'duplicate',
      rate: 1,
      times: 2,
    });
    expect(parseFaultSpec('duplicate@0.5:events')).toMatchObject({ service: 'events', operation: '*' });
  });

  it.each([
    ['drop@1:ecr', /service is events/],
    ['delay@1:events.aws.ecr', /latencyMs/],
    ['drop@1:events.UpdateService', /event source/],
    ['throttle@1:ecs.aws.ecr', /operation/],
  ])('refuses %s with the reason', (spec, reason) => {
    expect(() => parseFaultSpec(spec)).toThrow(reason);
  });

  it('drops every event of the source named, and only those', async () => {
    const { faults, delivered, publish, settled } = busWith('drop@1:events.aws.ecr');
    publish('aws.ecr');
    publish('aws.ecs');
    await settled(1);
    expect(delivered.map((delivery) => delivery.source)).toEqual(['aws.ecs']);
    expect(faults.counts().byOperation).toEqual({ 'events.aws.ecr': { drop: 1 } });
  });

  it('delivers a duplicated event twice', async () => {
    const { delivered, publish, settled } = busWith('duplicate@1:events.aws.ecr');
    publish('aws.ecr');
    await settled(2);
    expect(delivered.map((delivery) => delivery.source)).toEqual(['aws.ecr', 'aws.ecr']);
  });

  it('delivers a delayed event after the others, the delay later; `times` limits it to the first', async () => {
    const { delivered, publish, settled } = busWith('delay=200ms@1:events.aws.ecr#1');
    const start = Date.now();
    publish('aws.ecr');
    publish('aws.ecs');
    publish('aws.ecr');
    await settled(3);
    expect(delivered.map((delivery) => delivery.source)).toEqual(['aws.ecs', 'aws.ecr', 'aws.ecr']);
    expect(delivered.at(-1)?.at ?? 0).toBeGreaterThanOrEqual(start + 190);
  });

  it('leaves API requests alone: an event rule is not drawn for an operation', async () => {
    const faults = new FaultInjector();
    faults.add(parseFaultSpec('drop@1:events'));
    const emulator = faults.wrap({
      targetPrefix: 'AWSEvents',
      signingName: 'events',
      handle: async () => ({ answered: true }),
    });
    await expect(emulator.handle('PutEvents', {})).resolves.toEqual({ answered: true });
  });
});
