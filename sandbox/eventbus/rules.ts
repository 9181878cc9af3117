// The EventBridge rules serverless.yml declares, read from the resolved config
// (never copied): `stepFunctions.stateMachines.<key>.events[].eventBridge`
// (serverless-step-functions: `event` is the pattern) and
// `functions.<key>.events[].eventBridge` (the framework: `pattern`).
import type { ServerlessConfig } from '../serverless-config.ts';
import { type EventPattern, validatePattern } from './pattern.ts';

export type RuleTarget = { kind: 'stateMachine'; key: string } | { kind: 'function'; key: string };

export interface EventRule {
  name: string;
  pattern: EventPattern;
  target: RuleTarget;
  /** A constant input for the target instead of the event (`input`). */
  input?: unknown;
  /** The part of the event the target receives (`inputPath`, e.g. `$.detail`). */
  inputPath?: string;
}

const DEFAULT_BUSES = new Set([undefined, 'default']);

/**
 * Every rule on the default bus with an event pattern. Schedules are not rules
 * with patterns and are left out; an unsupported option (a custom bus, an
 * input transformer) fails here, at sandbox start, naming the rule.
 */
export function eventRules(config: ServerlessConfig): EventRule[] {
  const rules: EventRule[] = [];
  for (const [key, machine] of Object.entries(config.stepFunctions?.stateMachines ?? {})) {
    (machine.events ?? []).forEach((trigger, index) => {
      const eventBridge = trigger.eventBridge as Record<string, unknown> | undefined;
      if (!eventBridge?.event) return;
      rules.push(
        rule(`${machine.name}-rule-${index + 1}`, eventBridge, eventBridge.event, { kind: 'stateMachine', key }),
      );
    });
  }
  for (const [key, fn] of Object.entries(config.functions)) {
    (fn.events ?? []).forEach((trigger, index) => {
      const eventBridge = trigger.eventBridge as Record<string, unknown> | undefined;
      if (!eventBridge?.pattern) return;
      rules.push(
        rule(`${fn.name ?? key}-rule-${index + 1}`, eventBridge, eventBridge.pattern, { kind: 'function', key }),
      );
    });
  }
  return rules;
}

function rule(name: string, options: Record<string, unknown>, pattern: unknown, target: RuleTarget): EventRule {
  const bus = options.eventBusName ?? options.eventBus;
  if (!DEFAULT_BUSES.has(bus as string | undefined)) {
    throw new Error(`rule ${name}: the sandbox has only the default event bus, not ${JSON.stringify(bus)}`);
  }
  if (options.inputTransformer !== undefined)
    throw new Error(`rule ${name}: the sandbox does not apply inputTransformer`);
  if (options.inputPath !== undefined && typeof options.inputPath !== 'string') {
    throw new Error(`rule ${name}: inputPath must be a JSONPath string`);
  }
  validatePattern(pattern);
  return {
    name,
    pattern,
    target,
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.inputPath === undefined ? {} : { inputPath: options.inputPath }),
  };
}
