import type { Pacer } from './pacing.ts';

// ECS's service throttle logic: when a service's tasks keep failing to start
// (PENDING straight to STOPPED: an image that cannot be pulled, a secret that
// cannot be read), the scheduler waits longer and longer between launch
// attempts, up to 27 minutes ("subject to change", the Developer Guide says;
// it said 15 minutes before), and never gives up. AWS documents no schedule:
// the sandbox waits 15 nominal seconds after the first failed attempt and
// doubles the wait after each one, on the sandbox's clock. Tasks that fail
// after they were RUNNING (health checks, a container that exits) are not
// throttled, as in ECS. A task that starts, or a new deployment (a new task
// definition, a rollback), ends the throttle at once.

/** The wait after the first failed attempt, in nominal seconds. */
export const FIRST_RETRY_DELAY = 15;
/** The longest wait between attempts, in nominal seconds. */
export const MAX_RETRY_DELAY = 27 * 60;

/** What a failed attempt did to the throttle. */
export interface FailedAttempt {
  /** Consecutive failed attempts so far, this one included. */
  attempts: number;
  /** The wait before the next attempt, in nominal seconds. */
  delaySeconds: number;
}

/** One service's launch throttle. */
export class LaunchThrottle {
  #attempts = 0;
  /** Real time (ms) before which nothing is launched; unset while not throttled. */
  #retryAt: number | undefined;
  #lastFailureAt = 0;

  /** Consecutive launch attempts whose tasks failed to start. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Whether the scheduler may launch tasks at `now` (real ms). */
  mayLaunch(now = Date.now()): boolean {
    return this.#retryAt === undefined || now >= this.#retryAt;
  }

  /**
   * Counts a task that failed to start. Every task of one attempt fails
   * before the next attempt may start, so a failure while the wait runs
   * belongs to the attempt already counted: undefined. Otherwise the wait
   * doubles: the attempt it counted.
   */
  failed(pacer: Pacer, now = Date.now()): FailedAttempt | undefined {
    this.#lastFailureAt = now;
    if (!this.mayLaunch(now)) return undefined;
    this.#attempts++;
    const delaySeconds = Math.min(MAX_RETRY_DELAY, FIRST_RETRY_DELAY * 2 ** (this.#attempts - 1));
    this.#retryAt = now + pacer.ms(delaySeconds, 0);
    return { attempts: this.#attempts, delaySeconds };
  }

  /** A task started RUNNING at `startedAt` (real ms): one started since the last failure ends the throttle. */
  started(startedAt: number): void {
    if (this.#attempts > 0 && startedAt > this.#lastFailureAt) this.reset();
  }

  /** Back to normal, unthrottled launches (a new deployment). */
  reset(): void {
    this.#attempts = 0;
    this.#retryAt = undefined;
  }
}
