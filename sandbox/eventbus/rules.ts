// The EventBridge rules serverless.yml declares, read from the resolved config
// (never copied): `stepFunctions.stateMachines.<key>.events[].eventBridge`
// (serverless-step-functions: `event` is the pattern) and
// `functions.<key>.events[].eventBridge` (the framework: `pattern` or `schedule`), and the
// `schedule` events of both, which deploy as scheduled rules.
import type { ServerlessConfig } from '../serverless-config.ts';
import { type EventPattern, validatePattern } from './pattern.ts';
import { parseScheduleExpression, type Schedule } from './schedule-expression.ts';

export type RuleTarget = { kind: 'stateMachine'; key: string } | { kind: 'function'; key: string };

export interface EventRule {
  name: string;
  /** The bus it listens on: `default`, or a bus serverless.yml declares (AWS::Events::EventBus). */
  bus: string;
  /** What the rule matches; a scheduled rule has none. */
  pattern?: EventPattern;
  /** When a scheduled rule fires (`ScheduleExpression`). */
  schedule?: Schedule;
  /** A scheduled rule with `enabled: false` is deployed DISABLED and never fires. */
  enabled?: boolean;
  target: RuleTarget;
  /** A constant input for the target instead of the event (`input`). */
  input?: unknown;
  /** The part of the event the target receives (`inputPath`, e.g. `$.detail`). */
  inputPath?: string;
}

/** The default bus's name. */
export const DEFAULT_BUS = 'default';

/** The buses serverless.yml declares (`AWS::Events::EventBus` with a Name), by logical id. */
export function declaredBuses(config: Pick<ServerlessConfig, 'resources'>): Map<string, string> {
  const buses = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(config.resources?.Resources ?? {})) {
    if (resource.Type !== 'AWS::Events::EventBus') continue;
    const name = resource.Properties?.Name;
    if (typeof name !== 'string') throw new Error(`event bus ${logicalId}: the sandbox needs its Name`);
    buses.set(logicalId, name);
  }
  return buses;
}

/** What `{Ref}` and `{Fn::GetAtt: [.., Arn]}` of the declared buses mean in the sandbox (their names and ARNs). */
export function busResources(
  config: Pick<ServerlessConfig, 'resources'>,
  location: { region: string; accountId: string },
): Record<string, { ref: string; arn: string }> {
  return Object.fromEntries(
    [...declaredBuses(config)].map(([logicalId, name]) => [
      logicalId,
      { ref: name, arn: `arn:aws:events:${location.region}:${location.accountId}:event-bus/${name}` },
    ]),
  );
}

/**
 * Every rule on the default bus or one serverless.yml declares (named, or
 * `!Ref` to it): those with an event pattern and the scheduled ones. An
 * unsupported option (an unknown bus, an input transformer) or a schedule
 * EventBridge would refuse fails here, at sandbox start, naming the rule.
 */
export function eventRules(config: ServerlessConfig): EventRule[] {
  const buses = declaredBuses(config);
  const rule = (name: string, options: Record<string, unknown>, pattern: unknown, target: RuleTarget) =>
    ruleOn(buses, name, options, pattern, target);
  const rules: EventRule[] = [];
  for (const [key, machine] of Object.entries(config.stepFunctions?.stateMachines ?? {})) {
    (machine.events ?? []).forEach((trigger, index) => {
      const target: RuleTarget = { kind: 'stateMachine', key };
      const eventBridge = trigger.eventBridge as Record<string, unknown> | undefined;
      if (eventBridge?.event)
        rules.push(rule(`${machine.name}-rule-${index + 1}`, eventBridge, eventBridge.event, target));
      if (trigger.schedule !== undefined) {
        rules.push(...scheduledRules(rule, `${machine.name}-schedule-${index + 1}`, trigger.schedule, target));
      }
    });
  }
  for (const [key, fn] of Object.entries(config.functions)) {
    (fn.events ?? []).forEach((trigger, index) => {
      const target: RuleTarget = { kind: 'function', key };
      const eventBridge = trigger.eventBridge as Record<string, unknown> | undefined;
      if (eventBridge?.pattern)
        rules.push(rule(`${fn.name ?? key}-rule-${index + 1}`, eventBridge, eventBridge.pattern, target));
      // The framework's eventBridge event with `schedule`: a scheduled rule with the rule's retry policy and DLQ.
      else if (eventBridge?.schedule !== undefined) {
        const { schedule, ...delivery } = eventBridge;
        const scheduled = { ...delivery, rate: schedule };
        rules.push(...scheduledRules(rule, `${fn.name ?? key}-rule-${index + 1}`, scheduled, target));
      }
      if (trigger.schedule !== undefined) {
        rules.push(...scheduledRules(rule, `${fn.name ?? key}-schedule-${index + 1}`, trigger.schedule, target));
      }
    });
  }
  return rules;
}

/**
 * A `schedule` event: `rate(…)`/`cron(…)` alone, or `{ rate, enabled, input,
 * inputPath, name }` where `rate` may be a list (one rule per expression, as
 * the framework deploys it).
 */
function scheduledRules(
  rule: (name: string, options: Record<string, unknown>, pattern: unknown, target: RuleTarget) => EventRule,
  name: string,
  trigger: unknown,
  target: RuleTarget,
): EventRule[] {
  const options: Record<string, unknown> =
    typeof trigger === 'string'
      ? { rate: trigger }
      : trigger !== null && typeof trigger === 'object'
        ? { ...trigger }
        : {};
  const expressions = Array.isArray(options.rate) ? options.rate : [options.rate];
  if (expressions.length === 0 || expressions.some((expression) => typeof expression !== 'string')) {
    throw new Error(`rule ${name}: a schedule needs a rate(…) or cron(…) expression`);
  }
  const { rate: _rate, enabled, name: givenName, ...delivery } = options;
  return (expressions as string[]).map((expression, index) => {
    const ruleName = `${typeof givenName === 'string' ? givenName : name}${expressions.length > 1 ? `-${index + 1}` : ''}`;
    let schedule: Schedule;
    try {
      schedule = parseScheduleExpression(expression);
    } catch (error) {
      throw new Error(`rule ${ruleName}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return { ...rule(ruleName, delivery, undefined, target), schedule, enabled: enabled !== false };
  });
}

function ruleOn(
  buses: ReadonlyMap<string, string>,
  name: string,
  options: Record<string, unknown>,
  pattern: unknown,
  target: RuleTarget,
): EventRule {
  const bus = busOf(buses, options.eventBusName ?? options.eventBus);
  if (bus === undefined) {
    const named = JSON.stringify(options.eventBusName ?? options.eventBus);
    throw new Error(
      `rule ${name}: the sandbox has the default event bus and those serverless.yml declares, not ${named}`,
    );
  }
  if (options.inputTransformer !== undefined)
    throw new Error(`rule ${name}: the sandbox does not apply inputTransformer`);
  if (options.inputPath !== undefined && typeof options.inputPath !== 'string') {
    throw new Error(`rule ${name}: inputPath must be a JSONPath string`);
  }
  if (pattern !== undefined) validatePattern(pattern);
  return {
    name,
    bus,
    ...(pattern === undefined ? {} : { pattern }),
    target,
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.inputPath === undefined ? {} : { inputPath: options.inputPath }),
  };
}

// A rule's eventBusName: absent or `default`, a declared bus's name, or `!Ref` to it.
function busOf(buses: ReadonlyMap<string, string>, named: unknown): string | undefined {
  if (named === undefined || named === DEFAULT_BUS) return DEFAULT_BUS;
  if (typeof named === 'string') return [...buses.values()].includes(named) ? named : undefined;
  const ref = named !== null && typeof named === 'object' ? (named as Record<string, unknown>).Ref : undefined;
  return typeof ref === 'string' ? buses.get(ref) : undefined;
}
