import { describe, expect, it } from '@jest/globals';
import { EventBus } from '../../../sandbox/eventbus/bus.ts';
import { MAX_TIMER_MS, RuleSchedules, type Timers } from '../../../sandbox/eventbus/rule-schedules.ts';
import { eventRules } from '../../../sandbox/eventbus/rules.ts';
import { parseScheduleExpression } from '../../../sandbox/eventbus/schedule-expression.ts';
import type { ServerlessConfig } from '../../../sandbox/serverless-config.ts';

// Scheduled rules: the expressions PutRule accepts, the rules serverless.yml's
// `schedule` events deploy, and their firing on the sandbox's clock (nominal
// time = wall-clock time / time factor), with timers and a clock the test
// drives, so nothing here depends on how busy the machine is.

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

/** Timers a test fires by hand, and a wall clock it moves. */
function manualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  const pending = new Map<number, { callback: () => void; delayMs: number; dueAt: number }>();
  let ids = 0;
  const timers: Timers = {
    set: (callback, delayMs) => {
      pending.set(++ids, { callback, delayMs, dueAt: now + delayMs });
      return ids;
    },
    clear: (handle) => pending.delete(handle as number),
  };
  return {
    timers,
    now: () => now,
    pending,
    /** Moves the wall clock to the earliest timer and runs it. */
    runNext() {
      const [id, timer] = [...pending.entries()].sort((a, b) => a[1].dueAt - b[1].dueAt)[0] ?? [];
      if (id === undefined || !timer) throw new Error('no timer pending');
      pending.delete(id);
      now = timer.dueAt;
      timer.callback();
      return timer.delayMs;
    },
  };
}

describe('schedule expressions', () => {
  it('accept rate with a singular unit for 1 and a plural one otherwise', () => {
    expect(parseScheduleExpression('rate(1 minute)').next(at('2026-01-01T00:00:00Z'))).toEqual(
      at('2026-01-01T00:01:00Z'),
    );
    expect(parseScheduleExpression('rate(30 days)').next(at('2026-01-01T00:00:00Z'))).toEqual(
      at('2026-01-31T00:00:00Z'),
    );
    for (const refused of [
      'rate(1 minutes)',
      'rate(5 hour)',
      'rate(0 days)',
      'rate(2 weeks)',
      'rate(-1 days)',
      'every day',
    ]) {
      expect(() => parseScheduleExpression(refused)).toThrow(/Parameter ScheduleExpression is not valid/);
    }
  });

  it('accept cron in UTC with names, ranges, lists and steps, one day field `?`', () => {
    // 2026-01-01 is a Thursday.
    expect(parseScheduleExpression('cron(0 3 ? * MON *)').next(at('2026-01-01T10:00:00Z'))).toEqual(
      at('2026-01-05T03:00:00Z'),
    );
    expect(parseScheduleExpression('cron(*/15 * * * ? *)').next(at('2026-01-01T10:07:30Z'))).toEqual(
      at('2026-01-01T10:15:00Z'),
    );
    expect(parseScheduleExpression('cron(0 0 1 JAN,JUL ? 2027)').next(at('2026-03-01T00:00:00Z'))).toEqual(
      at('2027-01-01T00:00:00Z'),
    );
    expect(parseScheduleExpression('cron(30 9-17/4 ? * 2-6 *)').next(at('2026-01-01T13:30:00Z'))).toEqual(
      at('2026-01-01T17:30:00Z'),
    );
    for (const refused of [
      'cron(0 3 * * * *)',
      'cron(0 3 ? * ? *)',
      'cron(0 3 * *)',
      'cron(0 25 * * ? *)',
      'cron(0 3 L * ? *)',
    ]) {
      expect(() => parseScheduleExpression(refused)).toThrow(/Parameter ScheduleExpression is not valid/);
    }
  });
});

describe('RuleSchedules', () => {
  it('fires rate(30 days) every 30 nominal days: 36 hours at the default time factor 0.05', () => {
    const clock = manualClock();
    const fired: Date[] = [];
    const schedules = new RuleSchedules({
      rules: [{ rule: 'rotate', schedule: parseScheduleExpression('rate(30 days)') }],
      timeFactor: 0.05,
      fire: (_rule, due) => fired.push(due),
      timers: clock.timers,
      now: clock.now,
    });
    expect(clock.runNext()).toBeCloseTo(30 * DAY * 0.05);
    expect(clock.runNext()).toBeCloseTo(30 * DAY * 0.05);
    expect(fired.map((due) => due.toISOString())).toEqual(['2026-01-31T00:00:00.000Z', '2026-03-02T00:00:00.000Z']);
    schedules.stop();
  });

  it('waits a delay longer than one Node timer holds in several timers instead of firing at once', () => {
    const clock = manualClock();
    const fired: Date[] = [];
    new RuleSchedules({
      rules: [{ rule: 'rotate', schedule: parseScheduleExpression('rate(30 days)') }],
      timeFactor: 1,
      fire: (_rule, due) => fired.push(due),
      timers: clock.timers,
      now: clock.now,
    });
    expect(clock.runNext()).toBe(MAX_TIMER_MS);
    expect(fired).toEqual([]);
    expect(clock.runNext()).toBe(30 * DAY - MAX_TIMER_MS);
    expect(fired).toEqual([at('2026-01-31T00:00:00Z')]);
  });

  it('clears every timer on stop, after which nothing fires', () => {
    const clock = manualClock();
    const fired: string[] = [];
    const schedules = new RuleSchedules({
      rules: [
        { rule: 'a', schedule: parseScheduleExpression('rate(1 minute)') },
        { rule: 'b', schedule: parseScheduleExpression('cron(0 3 * * ? *)') },
      ],
      timeFactor: 0.05,
      fire: (rule) => fired.push(rule),
      timers: clock.timers,
      now: clock.now,
    });
    expect(clock.pending.size).toBe(2);
    expect(schedules.nextFirings().map(({ rule }) => rule)).toEqual(['a', 'b']);
    schedules.stop();
    expect(clock.pending.size).toBe(0);
    expect(schedules.nextFirings()).toEqual([]);
  });
});

describe("serverless.yml's schedule events", () => {
  const config = {
    service: 'release-automation',
    provider: {},
    functions: { sweep: { handler: 'functions/sweep/handler.handler', events: [{ schedule: 'rate(1 hour)' }] } },
    stepFunctions: {
      stateMachines: {
        rotation: {
          name: 'release-automation-dev-rotation',
          definition: {},
          events: [
            { schedule: { rate: 'rate(30 days)', input: { parameter: '/release-automation/sandbox/web/db' } } },
            { schedule: { rate: 'cron(0 3 ? * SUN *)', enabled: false } },
          ],
        },
      },
    },
    resources: { Resources: {} },
  } satisfies ServerlessConfig;

  it('deploy as scheduled rules targeting their state machine or function, and fire with the rule input', async () => {
    const rules = eventRules(config);
    expect(
      rules.map(({ name, schedule, enabled, target, input }) => ({
        name,
        expression: schedule?.expression,
        enabled,
        target,
        input,
      })),
    ).toEqual([
      {
        name: 'release-automation-dev-rotation-schedule-1',
        expression: 'rate(30 days)',
        enabled: true,
        target: { kind: 'stateMachine', key: 'rotation' },
        input: { parameter: '/release-automation/sandbox/web/db' },
      },
      {
        name: 'release-automation-dev-rotation-schedule-2',
        expression: 'cron(0 3 ? * SUN *)',
        enabled: false,
        target: { kind: 'stateMachine', key: 'rotation' },
        input: undefined,
      },
      {
        name: 'sweep-schedule-1',
        expression: 'rate(1 hour)',
        enabled: true,
        target: { kind: 'function', key: 'sweep' },
        input: undefined,
      },
    ]);

    const clock = manualClock();
    const started: [string, string][] = [];
    const invoked: unknown[] = [];
    const bus = new EventBus({
      rules,
      targets: {
        startExecution: async (key, input) => started.push([key, input]),
        invokeFunction: async (_key, event) => invoked.push(event),
      },
    });
    bus.startSchedules({
      timeFactor: 0.05,
      location: { accountId: '000000000000', region: 'us-east-1' },
      timers: clock.timers,
      now: clock.now,
    });
    // The disabled rule is never armed; events from PutEvents never match a scheduled rule.
    expect(clock.pending.size).toBe(2);
    expect(bus.publish({ ...scheduled, resources: [] })).toEqual([]);
    while (started.length === 0) {
      clock.runNext();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(started).toEqual([['rotation', JSON.stringify({ parameter: '/release-automation/sandbox/web/db' })]]);
    expect(invoked[0]).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/sweep-schedule-1'],
      detail: {},
    });
    await bus.close();
    expect(clock.pending.size).toBe(0);
  });

  it("deploy a function's eventBridge event with a schedule (retry policy, dead-letter queue) as a scheduled rule", () => {
    const events: Record<string, unknown>[] = [
      { eventBridge: { schedule: 'rate(5 minutes)', retryPolicy: { maximumRetryAttempts: 8 } } },
    ];
    const withEventBridge: ServerlessConfig = {
      ...config,
      functions: { sweep: { ...config.functions.sweep, events } },
    };
    const swept = eventRules(withEventBridge).filter((rule) => rule.target.key === 'sweep');
    expect(swept.map(({ name, schedule, enabled, target }) => [name, schedule?.expression, enabled, target])).toEqual([
      ['sweep-rule-1', 'rate(5 minutes)', true, { kind: 'function', key: 'sweep' }],
    ]);
  });

  it('refuse a schedule EventBridge would refuse, naming the rule', () => {
    const bad = structuredClone(config);
    bad.functions.sweep.events = [{ schedule: 'rate(1 hours)' }];
    expect(() => eventRules(bad)).toThrow(/rule sweep-schedule-1: Parameter ScheduleExpression is not valid/);
  });
});

const scheduled = {
  version: '0',
  id: 'x',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  detail: {},
};
