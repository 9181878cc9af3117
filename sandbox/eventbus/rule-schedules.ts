// Scheduled rules on the sandbox's clock: nominal time runs 1/timeFactor as
// fast as the wall clock from the moment the schedules start, so rate(1 hour)
// at 0.05 fires every 3 minutes and rate(30 days) every 36 hours, never
// sooner. A delay beyond what one Node timer holds (about 24.8 days, which
// Node would otherwise cut to 1 ms) is waited in several timers.
import type { Schedule } from './schedule-expression.ts';

/** The longest delay one setTimeout keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer as the schedules use it: the real one, or a test's. */
export interface Timers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RuleSchedulesOptions<R> {
  rules: readonly { rule: R; schedule: Schedule }[];
  timeFactor: number;
  /** Called at each firing with the nominal time it was due. */
  fire(rule: R, due: Date): void;
  timers?: Timers;
  now?: () => number;
}

export class RuleSchedules<R> {
  readonly #options: RuleSchedulesOptions<R>;
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #handles = new Map<number, unknown>();
  readonly #due = new Map<number, Date>();
  readonly #startedAt: number;
  #stopped = false;

  constructor(options: RuleSchedulesOptions<R>) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    options.rules.forEach((entry, index) => {
      this.#arm(index, entry.schedule.next(this.nominalNow()));
    });
  }

  /** The sandbox's clock: the start, plus the wall-clock time since, divided by the time factor. */
  nominalNow(): Date {
    return new Date(this.#startedAt + (this.#now() - this.#startedAt) / this.#options.timeFactor);
  }

  /** When each scheduled rule fires next, in nominal time. */
  nextFirings(): { rule: R; due: Date }[] {
    return this.#options.rules.flatMap((entry, index) => {
      const due = this.#due.get(index);
      return due ? [{ rule: entry.rule, due }] : [];
    });
  }

  /** Clears every timer; nothing fires afterwards. */
  stop(): void {
    this.#stopped = true;
    for (const handle of this.#handles.values()) this.#timers.clear(handle);
    this.#handles.clear();
    this.#due.clear();
  }

  #arm(index: number, due: Date): void {
    if (this.#stopped) return;
    this.#due.set(index, due);
    const wait = Math.max(0, (due.getTime() - this.nominalNow().getTime()) * this.#options.timeFactor);
    const step = Math.min(wait, MAX_TIMER_MS);
    this.#handles.set(
      index,
      this.#timers.set(() => {
        this.#handles.delete(index);
        if (this.#stopped) return;
        // Not yet due (a long wait in several timers, or a timer that woke early): wait the rest.
        // Within a nominal millisecond counts as due: the scaled clock's rounding must not re-arm forever.
        if (due.getTime() - this.nominalNow().getTime() >= 1) return this.#arm(index, due);
        const entry = this.#options.rules[index];
        if (!entry) return;
        this.#options.fire(entry.rule, due);
        // From when it was due, not from now: a late firing does not shift the ones after it.
        let next = entry.schedule.next(due);
        while (next <= this.nominalNow()) next = entry.schedule.next(next);
        this.#arm(index, next);
      }, step),
    );
  }
}
