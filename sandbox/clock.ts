// The sandbox's wall clock: the real time plus what a test (or `sandbox
// clock advance`) has moved it forward by. CloudWatch stamps what it is sent
// without a timestamp and evaluates its alarms on it, and scheduled events
// carry its time, so a day of "no production release" can pass in a test.
// Nothing else moves: timers, task pacing and execution start dates stay real
// (an execution started before an advance is that much older).

/** A clock that only moves forward, by `advance`. */
export class SandboxClock {
  #offsetMs = 0;
  readonly #listeners = new Set<() => void>();

  /** Epoch milliseconds on the sandbox's clock. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** How far the clock is ahead of the real time, in milliseconds. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves the clock forward by `ms` (≥ 0) and tells every listener at once. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`the clock only moves forward, not by ${ms} ms`);
    this.#offsetMs += ms;
    for (const listener of this.#listeners) listener();
  }

  /** Calls `listener` after each advance; returns how to stop. */
  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The real clock, for emulators used without a sandbox. */
export const realClock = (): SandboxClock => new SandboxClock();
