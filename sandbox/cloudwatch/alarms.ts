import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { type AlarmRule, type AlarmState, evaluateAlarm } from './alarm-evaluation.ts';
import type { MetricStore } from './metric-store.ts';

// The sandbox's metric alarms: kept by name, evaluated over the metric store
// on CloudWatch's clock every `everyMs` (and at once when asked, e.g. after
// the clock advances). A change of state goes to the alarm's actions for the
// new state (`notify`, the sandbox's SNS routing), with CloudWatch's alarm
// message; SetAlarmState changes it until the next evaluation.

/** An alarm as PutMetricAlarm defined it (`definition`, echoed by DescribeAlarms) and how it is evaluated. */
export interface AlarmDefinition {
  name: string;
  rule: AlarmRule;
  definition: MetricAlarm;
  actionsEnabled: boolean;
  actions: Readonly<Record<AlarmState, readonly string[]>>;
}

interface Alarm extends AlarmDefinition {
  arn: string;
  state: AlarmState;
  reason: string;
  reasonData?: string;
  updatedAt: number;
  transitionedAt: number;
  configurationUpdatedAt: number;
}

/** The message CloudWatch sends an alarm's SNS topics on a change of state. */
export interface AlarmNotification {
  AlarmName: string;
  AlarmDescription: string | null;
  AWSAccountId: string;
  AlarmConfigurationUpdatedTimestamp: string;
  NewStateValue: AlarmState;
  NewStateReason: string;
  StateChangeTime: string;
  Region: string;
  AlarmArn: string;
  OldStateValue: AlarmState;
}

export interface AlarmsOptions {
  store: MetricStore;
  location: { accountId: string; region: string };
  /** Receives each action ARN and the message, on a change of state with actions enabled. */
  notify?: (actionArn: string, notification: AlarmNotification) => void;
}

export class Alarms {
  readonly #alarms = new Map<string, Alarm>();
  readonly #options: AlarmsOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AlarmsOptions) {
    this.#options = options;
  }

  get #now(): number {
    return this.#options.store.now();
  }

  /** Creates or replaces an alarm; a new one starts INSUFFICIENT_DATA, a replaced one keeps its state. */
  put(definition: AlarmDefinition): void {
    const now = this.#now;
    const old = this.#alarms.get(definition.name);
    const { accountId, region } = this.#options.location;
    this.#alarms.set(definition.name, {
      ...definition,
      arn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${definition.name}`,
      state: old?.state ?? 'INSUFFICIENT_DATA',
      reason: old?.reason ?? 'Unchecked: Initial alarm creation',
      updatedAt: old?.updatedAt ?? now,
      transitionedAt: old?.transitionedAt ?? now,
      configurationUpdatedAt: now,
    });
  }

  /** Deletes the alarms named; none unless all exist (returns the names that do not). */
  delete(names: readonly string[]): string[] {
    const unknown = names.filter((name) => !this.#alarms.has(name));
    if (unknown.length === 0) for (const name of names) this.#alarms.delete(name);
    return unknown;
  }

  has(name: string): boolean {
    return this.#alarms.has(name);
  }

  /** Sets an alarm's state until its next evaluation (SetAlarmState). */
  setState(name: string, state: AlarmState, reason: string, reasonData?: string): void {
    const alarm = this.#alarms.get(name);
    if (alarm) this.#change(alarm, state, reason, reasonData);
  }

  /** Every alarm, by name, as DescribeAlarms shows it. */
  describe(): MetricAlarm[] {
    return [...this.#alarms.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((alarm) => ({
        ...structuredClone(alarm.definition),
        AlarmName: alarm.name,
        AlarmArn: alarm.arn,
        ActionsEnabled: alarm.actionsEnabled,
        StateValue: alarm.state,
        StateReason: alarm.reason,
        ...(alarm.reasonData === undefined ? {} : { StateReasonData: alarm.reasonData }),
        StateUpdatedTimestamp: new Date(alarm.updatedAt),
        StateTransitionedTimestamp: new Date(alarm.transitionedAt),
        AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
      }));
  }

  /** Evaluates every alarm now. */
  evaluate(): void {
    const now = this.#now;
    for (const alarm of this.#alarms.values()) {
      const { state, reason, datapoints } = evaluateAlarm(this.#options.store, alarm.rule, now);
      if (state === undefined || state === alarm.state) continue;
      const reasonData = JSON.stringify({
        version: '1.0',
        queryDate: new Date(now).toISOString(),
        recentDatapoints: datapoints.map((d) => d.value),
        threshold: alarm.rule.threshold,
      });
      this.#change(alarm, state, reason, reasonData);
    }
  }

  /** Evaluates every `everyMs` until `stop`. */
  start(everyMs: number): void {
    this.stop();
    this.#timer = setInterval(() => this.evaluate(), everyMs).unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #change(alarm: Alarm, state: AlarmState, reason: string, reasonData?: string): void {
    const old = alarm.state;
    const now = this.#now;
    alarm.state = state;
    alarm.reason = reason;
    alarm.reasonData = reasonData;
    alarm.updatedAt = now;
    if (old !== state) alarm.transitionedAt = now;
    if (old === state || !alarm.actionsEnabled) return;
    const { accountId, region } = this.#options.location;
    const notification: AlarmNotification = {
      AlarmName: alarm.name,
      AlarmDescription: alarm.definition.AlarmDescription ?? null,
      AWSAccountId: accountId,
      AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt).toISOString(),
      NewStateValue: state,
      NewStateReason: reason,
      StateChangeTime: new Date(now).toISOString(),
      Region: region,
      AlarmArn: alarm.arn,
      OldStateValue: old,
    };
    for (const action of alarm.actions[state]) this.#options.notify?.(action, notification);
  }
}
