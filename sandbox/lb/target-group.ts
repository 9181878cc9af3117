import { Agent, request } from 'node:http';

// An ALB target group: registered targets (task ports on loopback), their
// health as the ALB's health checks see it, and deregistration with a
// draining delay. ECS reads the health to decide when a new task counts as
// healthy and when an unhealthy one must be replaced.

/** A target's state, as elbv2 DescribeTargetHealth names it. */
export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface TargetHealth {
  state: TargetState;
  /** elbv2's reason code, e.g. `Target.ResponseCodeMismatch`. */
  reason?: string;
  description?: string;
}

export interface Target {
  id: string;
  host: string;
  port: number;
  health: TargetHealth;
}

export interface HealthCheckSettings {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface TargetGroupOptions {
  name: string;
  arn: string;
  /** `targetgroup/<name>/<id>`, the CloudWatch dimension value. */
  dimension: string;
  healthCheck: HealthCheckSettings;
  deregistrationDelayMs: number;
}

interface TrackedTarget extends Target {
  successes: number;
  failures: number;
  probing: boolean;
  drained?: () => void;
}

type ProbeResult = { ok: true } | { ok: false; reason: string; description: string };

export class TargetGroup {
  readonly name: string;
  readonly arn: string;
  readonly dimension: string;
  readonly #settings: HealthCheckSettings;
  readonly #deregistrationDelayMs: number;
  readonly #targets = new Map<string, TrackedTarget>();
  readonly #timers = new Set<NodeJS.Timeout>();
  // Health checks reuse connections: with dozens of targets checked several
  // times a second, a new TCP connection per check is most of the sandbox's idle CPU.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  #interval: NodeJS.Timeout | undefined;
  #next = 0;
  #closed = false;

  constructor(options: TargetGroupOptions) {
    this.name = options.name;
    this.arn = options.arn;
    this.dimension = options.dimension;
    this.#settings = options.healthCheck;
    this.#deregistrationDelayMs = options.deregistrationDelayMs;
  }

  /** Registers a target and starts checking it (the first check runs at once). */
  register(id: string, host: string, port: number): void {
    if (this.#closed || this.#targets.has(id)) return;
    const target: TrackedTarget = {
      id,
      host,
      port,
      health: {
        state: 'initial',
        reason: 'Elb.RegistrationInProgress',
        description: 'Target registration is in progress',
      },
      successes: 0,
      failures: 0,
      probing: false,
    };
    this.#targets.set(id, target);
    this.#interval ??= setInterval(() => this.#checkAll(), this.#settings.intervalMs);
    void this.#check(target);
  }

  /** Stops routing to the target; resolves once it has drained (the deregistration delay) and is gone. */
  deregister(id: string): Promise<void> {
    const target = this.#targets.get(id);
    if (!target) return Promise.resolve();
    if (target.health.state === 'draining') return new Promise((resolve) => this.#afterDrain(target, resolve));
    target.health = {
      state: 'draining',
      reason: 'Target.DeregistrationInProgress',
      description: 'Target deregistration is in progress',
    };
    return new Promise((resolve) => {
      this.#afterDrain(target, resolve);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#remove(target);
      }, this.#deregistrationDelayMs);
      this.#timers.add(timer);
    });
  }

  #afterDrain(target: TrackedTarget, resolve: () => void): void {
    const previous = target.drained;
    target.drained = () => {
      previous?.();
      resolve();
    };
  }

  #remove(target: TrackedTarget): void {
    this.#targets.delete(target.id);
    target.drained?.();
    if (this.#targets.size === 0 && this.#interval) {
      clearInterval(this.#interval);
      this.#interval = undefined;
    }
  }

  health(id: string): TargetHealth | undefined {
    const health = this.#targets.get(id)?.health;
    return health ? { ...health } : undefined;
  }

  targets(): Target[] {
    return [...this.#targets.values()].map(({ id, host, port, health }) => ({ id, host, port, health: { ...health } }));
  }

  /** The next healthy target, round-robin; undefined when none is healthy. */
  pick(): Target | undefined {
    const healthy = [...this.#targets.values()].filter((t) => t.health.state === 'healthy');
    if (healthy.length === 0) return undefined;
    this.#next = (this.#next + 1) % healthy.length;
    return healthy[this.#next];
  }

  #checkAll(): void {
    for (const target of this.#targets.values()) void this.#check(target);
  }

  async #check(target: TrackedTarget): Promise<void> {
    if (target.probing || target.health.state === 'draining' || this.#closed) return;
    target.probing = true;
    const result = await this.#probe(target);
    target.probing = false;
    // The target may have been deregistered while the probe ran.
    if (this.#closed || !this.#targets.has(target.id) || this.#isDraining(target)) return;
    if (result.ok) {
      target.successes++;
      target.failures = 0;
      if (target.health.state !== 'healthy' && target.successes >= this.#settings.healthyThreshold) {
        target.health = { state: 'healthy' };
      } else if (target.health.state === 'initial') {
        target.health = {
          state: 'initial',
          reason: 'Elb.InitialHealthChecking',
          description: 'Initial health checks in progress',
        };
      }
      return;
    }
    target.failures++;
    target.successes = 0;
    if (target.health.state !== 'unhealthy' && target.failures < this.#settings.unhealthyThreshold) return;
    target.health = { state: 'unhealthy', reason: result.reason, description: result.description };
  }

  #isDraining(target: TrackedTarget): boolean {
    return target.health.state === 'draining';
  }

  #probe(target: TrackedTarget): Promise<ProbeResult> {
    return new Promise((resolve) => {
      const req = request(
        { host: target.host, port: target.port, path: this.#settings.path, method: 'GET', agent: this.#agent },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          resolve(
            status >= 200 && status < 400
              ? { ok: true }
              : {
                  ok: false,
                  reason: 'Target.ResponseCodeMismatch',
                  description: `Health checks failed with these codes: [${status}]`,
                },
          );
        },
      );
      req.setTimeout(this.#settings.timeoutMs, () => {
        req.destroy();
        resolve({ ok: false, reason: 'Target.Timeout', description: 'Request timed out' });
      });
      req.on('error', () =>
        resolve({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }),
      );
      req.end();
    });
  }

  /** Stops health checks and drains; pending deregistrations resolve at once. */
  close(): void {
    this.#closed = true;
    this.#agent.destroy();
    if (this.#interval) clearInterval(this.#interval);
    this.#interval = undefined;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const target of [...this.#targets.values()]) this.#remove(target);
  }
}
