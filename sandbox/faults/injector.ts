// Injects the faults of the rules into every emulated service's operations:
// each request that a rule matches gets the fault at the rule's rate. It wraps
// the emulators, so every service (DynamoDB and SSM too) and every client (the
// functions, the AWS CLI, a user's SDK) meets the same bad day.
import { setTimeout as sleep } from 'node:timers/promises';
import { AnswerLostError, AwsApiError, type AwsServiceEmulator } from '../aws/service.ts';
import { FAULT_KINDS, type FaultKind, type FaultRule, isEventFault, parseFaultRule } from './rules.ts';

/** How each service says "slow down" and "my fault", as AWS does. */
const THROTTLE: Readonly<Record<string, { code: string; statusCode: number }>> = {
  monitoring: { code: 'Throttling', statusCode: 400 },
  dynamodb: { code: 'ProvisionedThroughputExceededException', statusCode: 400 },
};
const SERVER_ERROR: Readonly<Record<string, { code: string; statusCode: number }>> = {
  ecs: { code: 'ServerException', statusCode: 500 },
  ecr: { code: 'ServerException', statusCode: 500 },
  ssm: { code: 'InternalServerError', statusCode: 500 },
  dynamodb: { code: 'InternalServerError', statusCode: 500 },
};

/** What the injector did so far. */
export interface FaultCounts {
  /** Faults injected, by kind. */
  byKind: Record<FaultKind, number>;
  /** Faults injected, by `service.Operation` and kind. */
  byOperation: Record<string, Partial<Record<FaultKind, number>>>;
}

/** What befalls one event on its way to the targets of the rules it matches. */
export interface EventFate {
  dropped: boolean;
  /** How long its delivery waits (ms, wall clock). */
  delayMs: number;
  /** How many times it is delivered (2 when duplicated). */
  copies: number;
}

export interface FaultInjectorOptions {
  /** A number in [0, 1) per draw; default Math.random (tests pass a seeded one). */
  random?: () => number;
}

/** The sandbox's fault rules and the wrapper that applies them. */
export class FaultInjector {
  #rules: FaultRule[] = [];
  /** How often each rule with `times` has applied: it applies no more once it reaches them. */
  #applied = new WeakMap<FaultRule, number>();
  #counts: FaultCounts = emptyCounts();
  readonly #random: () => number;

  constructor(options: FaultInjectorOptions = {}) {
    this.#random = options.random ?? Math.random;
  }

  /** Adds rules (validated; an invalid one adds nothing and throws InvalidFaultRuleError). */
  add(...rules: unknown[]): FaultRule[] {
    const parsed = rules.map(parseFaultRule);
    this.#rules.push(...parsed);
    return parsed;
  }

  /** Replaces every rule. */
  set(rules: readonly unknown[]): FaultRule[] {
    const parsed = rules.map(parseFaultRule);
    this.#rules = parsed;
    return parsed;
  }

  /** Removes every rule (the counts stay until resetCounts). */
  clear(): void {
    this.#rules = [];
  }

  rules(): FaultRule[] {
    return this.#rules.map((rule) => ({ ...rule }));
  }

  counts(): FaultCounts {
    return structuredClone(this.#counts);
  }

  resetCounts(): void {
    this.#counts = emptyCounts();
  }

  /** The emulator with the rules applied to each of its operations. */
  wrap(emulator: AwsServiceEmulator): AwsServiceEmulator {
    return {
      targetPrefix: emulator.targetPrefix,
      signingName: emulator.signingName,
      handle: async (operation, input, context) => {
        const service = emulator.signingName;
        const drawn = this.#rules.filter(
          (rule) =>
            !isEventFault(rule.fault) &&
            (rule.service === '*' || rule.service === service) &&
            (rule.operation === '*' || rule.operation === operation) &&
            this.#random() < rule.rate &&
            this.#takeOne(rule),
        );
        const count = (fault: FaultKind) => this.#count(`${service}.${operation}`, fault);
        const delay = drawn
          .filter((rule) => rule.fault === 'latency')
          .reduce((sum, rule) => sum + (rule.latencyMs ?? 0), 0);
        if (delay > 0) {
          count('latency');
          await sleep(delay);
        }
        // The first failing fault drawn decides; a request fails at most one way.
        const failure = drawn.find((rule) => rule.fault !== 'latency')?.fault;
        if (failure === 'throttle') {
          count('throttle');
          const { code, statusCode } = THROTTLE[service] ?? { code: 'ThrottlingException', statusCode: 400 };
          throw new AwsApiError(code, 'Rate exceeded', statusCode);
        }
        if (failure === '5xx') {
          count('5xx');
          const { code, statusCode } = SERVER_ERROR[service] ?? { code: 'ServiceUnavailable', statusCode: 503 };
          throw new AwsApiError(code, 'Service encountered an error (injected by the sandbox)', statusCode);
        }
        const named = drawn.find((rule) => rule.fault === failure);
        if (failure === 'error' && named?.errorCode) {
          count('error');
          const message = `${operation} failed: ${named.errorCode} (injected by the sandbox)`;
          throw new AwsApiError(named.errorCode, message, named.statusCode ?? 400);
        }
        const result = await emulator.handle(operation, input, context);
        if (failure === 'lost') {
          count('lost');
          throw new AnswerLostError(`${service}.${operation} took effect; its answer is lost`);
        }
        return result;
      },
    };
  }

  /** Draws the event-delivery rules for one event from `source` (the bus asks once per event, whatever it matched). */
  eventFate(source: string): EventFate {
    const drawn = this.#rules.filter(
      (rule) =>
        isEventFault(rule.fault) &&
        (rule.operation === '*' || rule.operation === source) &&
        this.#random() < rule.rate &&
        this.#takeOne(rule),
    );
    const count = (fault: FaultKind) => this.#count(`events.${source}`, fault);
    if (drawn.some((rule) => rule.fault === 'drop')) {
      count('drop');
      return { dropped: true, delayMs: 0, copies: 0 };
    }
    const delays = drawn.filter((rule) => rule.fault === 'delay');
    const duplicated = drawn.some((rule) => rule.fault === 'duplicate');
    if (delays.length > 0) count('delay');
    if (duplicated) count('duplicate');
    const delayMs = delays.reduce((sum, rule) => sum + (rule.latencyMs ?? 0), 0);
    return { dropped: false, delayMs, copies: duplicated ? 2 : 1 };
  }

  /** Whether `rule` may apply once more (no `times`, or fewer applications so far); counts this one. */
  #takeOne(rule: FaultRule): boolean {
    if (rule.times === undefined) return true;
    const applied = this.#applied.get(rule) ?? 0;
    if (applied >= rule.times) return false;
    this.#applied.set(rule, applied + 1);
    return true;
  }

  #count(operation: string, fault: FaultKind): void {
    this.#counts.byKind[fault] += 1;
    const byOperation = this.#counts.byOperation[operation] ?? {};
    byOperation[fault] = (byOperation[fault] ?? 0) + 1;
    this.#counts.byOperation[operation] = byOperation;
  }
}

function emptyCounts(): FaultCounts {
  return {
    byKind: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
    byOperation: {},
  };
}
