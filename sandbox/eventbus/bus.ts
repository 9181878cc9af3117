// The event buses: every event (ECR pushes from the ECR emulator on the
// default bus, PutEvents onto any bus) is matched against the rules of its bus
// and delivered to each matching rule's target, asynchronously and once (EventBridge is at-least-once; the
// sandbox's "at least" is exactly one, duplicates are sent on purpose).
// Scheduled rules fire on the sandbox's clock (rule-schedules.ts) with
// EventBridge's `Scheduled Event`, from startSchedules until the bus closes.
import { randomUUID } from 'node:crypto';
import { matchesPattern } from './pattern.ts';
import { RuleSchedules, type Timers } from './rule-schedules.ts';
import { DEFAULT_BUS, type EventRule, type RuleTarget } from './rules.ts';

/** An event as EventBridge delivers it to targets. */
export interface EventBridgeEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** What a rule can start: `input` is what the target receives (the event unless the rule says otherwise). */
export interface EventTargets {
  startExecution(stateMachineKey: string, input: string): Promise<unknown>;
  invokeFunction(functionKey: string, event: unknown): Promise<unknown>;
}

/** One delivery, for tests and the terminal. */
export interface Delivery {
  rule: string;
  target: RuleTarget;
  eventId: string;
}

export interface EventBusOptions {
  rules: readonly EventRule[];
  /** The buses besides `default` (serverless.yml's AWS::Events::EventBus names). */
  buses?: readonly string[];
  targets: EventTargets;
  /** Told of each delivery and of each target that failed to start. */
  onDelivery?: (delivery: Delivery, event: EventBridgeEvent) => void;
  onError?: (delivery: Delivery, error: unknown) => void;
  /**
   * What befalls a published event before delivery (the sandbox's event
   * faults: dropped, delayed, duplicated); each is delivered once, at once, without it.
   */
  fate?: (event: EventBridgeEvent) => { dropped: boolean; delayMs: number; copies: number };
}

/** The clock scheduled rules fire on. */
export interface ScheduleClock {
  timeFactor: number;
  location: { accountId: string; region: string };
  /** A test's timers and wall clock instead of Node's. */
  timers?: Timers;
  now?: () => number;
  /** The `time` of a scheduled event (epoch ms): the sandbox's clock (sandbox/clock.ts); default the wall clock. */
  eventTime?: () => number;
}

export class EventBus {
  readonly rules: readonly EventRule[];
  /** Every bus's name, `default` first. */
  readonly buses: readonly string[];
  readonly #options: EventBusOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #schedules: RuleSchedules<EventRule> | undefined;
  #closed = false;

  constructor(options: EventBusOptions) {
    this.rules = options.rules;
    this.buses = [DEFAULT_BUS, ...(options.buses ?? []).filter((name) => name !== DEFAULT_BUS)];
    this.#options = options;
  }

  /** The scheduled rules' timers, once started (their next firings, the sandbox's clock). */
  get schedules(): RuleSchedules<EventRule> | undefined {
    return this.#schedules;
  }

  /** Starts the scheduled rules' clock (once the targets are ready); the bus's close stops it. */
  startSchedules(clock: ScheduleClock): void {
    if (this.#closed || this.#schedules) return;
    this.#schedules = new RuleSchedules({
      rules: this.rules.flatMap((rule) =>
        rule.schedule && rule.enabled !== false ? [{ rule, schedule: rule.schedule }] : [],
      ),
      timeFactor: clock.timeFactor,
      ...(clock.timers ? { timers: clock.timers } : {}),
      ...(clock.now ? { now: clock.now } : {}),
      fire: (rule) => this.#send(rule, scheduledEvent(rule, clock.location, clock.eventTime?.())),
    });
  }

  /** Publishes an event on a bus (default: `default`); returns the names of the rules it matched (their targets start shortly after). */
  publish(event: EventBridgeEvent, bus: string = DEFAULT_BUS): string[] {
    if (this.#closed) return [];
    const matched = this.rules.filter(
      (rule) => rule.bus === bus && rule.pattern !== undefined && matchesPattern(rule.pattern, event),
    );
    // Drawn once per event, as EventBridge loses or repeats an event, not one target's copy of it.
    const fate = matched.length > 0 ? this.#options.fate?.(event) : undefined;
    if (fate?.dropped) return matched.map((rule) => rule.name);
    for (let copy = 0; copy < (fate?.copies ?? 1); copy += 1) {
      for (const rule of matched) this.#send(rule, event, fate?.delayMs ?? 0);
    }
    return matched.map((rule) => rule.name);
  }

  /** Stops the schedules and accepting events, and waits for the deliveries under way. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#schedules?.stop();
    await Promise.all([...this.#inFlight]);
  }

  #send(rule: EventRule, event: EventBridgeEvent, delayMs = 0): void {
    if (this.#closed) return;
    const delivery: Delivery = { rule: rule.name, target: rule.target, eventId: event.id };
    const later = (resolve: () => void) => (delayMs > 0 ? setTimeout(resolve, delayMs) : setImmediate(resolve));
    const delivered = new Promise<void>(later)
      .then(() => this.#deliver(rule, event, delivery))
      .catch((error: unknown) => this.#options.onError?.(delivery, error))
      .finally(() => this.#inFlight.delete(delivered));
    this.#inFlight.add(delivered);
  }

  async #deliver(rule: EventRule, event: EventBridgeEvent, delivery: Delivery): Promise<void> {
    if (this.#closed) return;
    this.#options.onDelivery?.(delivery, event);
    const input = targetInput(rule, event);
    if (rule.target.kind === 'stateMachine') {
      await this.#options.targets.startExecution(rule.target.key, JSON.stringify(input));
    } else {
      await this.#options.targets.invokeFunction(rule.target.key, input);
    }
  }
}

function targetInput(rule: EventRule, event: EventBridgeEvent): unknown {
  if (rule.input !== undefined) return typeof rule.input === 'string' ? parsedOrText(rule.input) : rule.input;
  if (rule.inputPath === undefined) return event;
  let value: unknown = event;
  for (const segment of rule.inputPath
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return value ?? null;
}

/** A rule's constant input is JSON text in AWS; plain text is passed as a JSON string. */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a scheduled rule sends: `aws.events` `Scheduled Event`, the rule's ARN in `resources`, an empty detail. */
function scheduledEvent(
  rule: EventRule,
  location: { accountId: string; region: string },
  at?: number,
): EventBridgeEvent {
  return newEvent(
    {
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      detail: {},
      resources: [`arn:aws:events:${location.region}:${location.accountId}:rule/${rule.name}`],
      ...(at === undefined ? {} : { time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z') }),
    },
    location,
  );
}

/** A new event in EventBridge's envelope; `time` is ISO 8601 to the second, as EventBridge writes it. */
export function newEvent(
  fields: Pick<EventBridgeEvent, 'source' | 'detail-type' | 'detail'> & Partial<EventBridgeEvent>,
  location: { accountId: string; region: string },
): EventBridgeEvent {
  return {
    version: '0',
    id: randomUUID(),
    account: location.accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: location.region,
    resources: [],
    ...fields,
  };
}

/** What the sandbox's terminal shows of deliveries: each one, and each target that failed to start. */
export function deliveryLog(print: (line: string) => void): Pick<EventBusOptions, 'onDelivery' | 'onError'> {
  return {
    onDelivery: (delivery, event) =>
      print(
        `⇢ ${event.source} "${event['detail-type']}" matched rule ${delivery.rule} → ${delivery.target.kind} ${delivery.target.key}`,
      ),
    onError: (delivery, error) =>
      print(
        `✗ rule ${delivery.rule} could not start ${delivery.target.key}: ${error instanceof Error ? error.message : String(error)}`,
      ),
  };
}
