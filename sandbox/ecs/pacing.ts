// How fast the emulated ECS world runs. Every duration is written in the
// seconds AWS would roughly take (a Fargate task provisions in a few seconds,
// an ALB health check runs every 10 s) and multiplied by one time factor, so a
// whole rolling deployment takes about 40 nominal seconds: 2 s at the default
// factor of 0.05, under a second at 0.02. Timestamps stay wall-clock.

/** Nominal durations in seconds, before the time factor. */
export interface Pacing {
  /** How often the service scheduler reconciles every service. */
  schedulerTick: number;
  /** PROVISIONING → PENDING. */
  provision: number;
  /** Image pull, PENDING → container start. */
  pull: number;
  /** STOPPING → STOPPED, after the container has exited. */
  deprovision: number;
  /** ALB health checks. */
  healthCheckInterval: number;
  healthCheckTimeout: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** How long a deregistered target drains before ECS stops its task. */
  deregistrationDelay: number;
}

/** The sandbox's nominal pacing: AWS-like orders of magnitude, ALB settings tuned for quick feedback. */
export const defaultPacing: Pacing = {
  schedulerTick: 1,
  provision: 2,
  pull: 3,
  deprovision: 2,
  healthCheckInterval: 10,
  healthCheckTimeout: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  deregistrationDelay: 10,
};

export const defaultTimeFactor = 0.05;

/** Thrown into every pending sleep when the world stops, so that no flow continues afterwards. */
export class WorldStoppedError extends Error {
  override readonly name = 'WorldStoppedError';
}

/** Scaled timers that all end when the world stops. */
export class Pacer {
  readonly timeFactor: number;
  readonly pacing: Pacing;
  readonly #sleeps = new Map<NodeJS.Timeout, (error: Error) => void>();
  readonly #intervals = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(timeFactor: number, pacing: Partial<Pacing> = {}) {
    if (!(timeFactor > 0) || timeFactor > 10) throw new RangeError(`timeFactor must be in (0, 10], got ${timeFactor}`);
    this.timeFactor = timeFactor;
    this.pacing = { ...defaultPacing, ...pacing };
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** A nominal duration in real milliseconds, never below `floorMs` (timers below that only burn CPU). */
  ms(nominalSeconds: number, floorMs = 5): number {
    return Math.max(floorMs, Math.round(nominalSeconds * 1000 * this.timeFactor));
  }

  /** Waits a nominal duration; rejects with WorldStoppedError if the world stops first. */
  sleep(nominalSeconds: number): Promise<void> {
    if (this.#stopped) return Promise.reject(new WorldStoppedError('the ECS world has stopped'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#sleeps.delete(timer);
        resolve();
      }, this.ms(nominalSeconds));
      this.#sleeps.set(timer, reject);
    });
  }

  /** Runs `run` every nominal `seconds` until the world stops or the returned function is called. */
  every(nominalSeconds: number, run: () => void, floorMs = 10): () => void {
    if (this.#stopped) return () => {};
    const timer = setInterval(run, this.ms(nominalSeconds, floorMs));
    this.#intervals.add(timer);
    return () => {
      clearInterval(timer);
      this.#intervals.delete(timer);
    };
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#intervals) clearInterval(timer);
    this.#intervals.clear();
    for (const [timer, reject] of this.#sleeps) {
      clearTimeout(timer);
      reject(new WorldStoppedError('the ECS world has stopped'));
    }
    this.#sleeps.clear();
  }
}
