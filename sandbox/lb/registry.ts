import type { Arns } from '../aws/arns.ts';
import type { Pacer } from '../ecs/pacing.ts';
import type { AlbMetrics } from './alb-metrics.ts';
import { LoadBalancer } from './load-balancer.ts';
import { TargetGroup } from './target-group.ts';

// The sandbox's load balancers: one ALB with one target group per service,
// named `<cluster>-<service>` (ALB names: 32 characters, letters, digits and
// dashes). Their ids derive from the name, so the CloudWatch dimensions of a
// service are the same at every start.

/** How to reach a service's load balancer and query its metrics. */
export interface LoadBalancerInfo {
  name: string;
  port: number;
  url: string;
  loadBalancerArn: string;
  targetGroupArn: string;
  /** The AWS/ApplicationELB dimension values: `app/<name>/<id>` and `targetgroup/<name>/<id>`. */
  dimensions: { LoadBalancer: string; TargetGroup: string };
}

/** An ALB name from any text: letters, digits and dashes, at most 32 characters. */
export function albName(text: string): string {
  const name = text
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .slice(0, 32)
    .replace(/^-+|-+$/g, '');
  return name || 'sandbox';
}

export class LoadBalancers {
  readonly #arns: Arns;
  readonly #pacer: Pacer;
  readonly #metrics: AlbMetrics;
  readonly #host: string;
  readonly #byName = new Map<string, { lb: LoadBalancer; group: TargetGroup }>();
  readonly #groups = new Map<string, TargetGroup>();

  constructor(options: { arns: Arns; pacer: Pacer; metrics: AlbMetrics; host: string }) {
    this.#arns = options.arns;
    this.#pacer = options.pacer;
    this.#metrics = options.metrics;
    this.#host = options.host;
  }

  /** Creates and starts an ALB with one target group, listening on `port` (0: a free one). */
  async create(name: string, port: number): Promise<LoadBalancerInfo> {
    const existing = this.#byName.get(name);
    if (existing) return this.#info(existing.lb, existing.group);
    const { pacing } = this.#pacer;
    const tg = this.#arns.targetGroup(name);
    const group = new TargetGroup({
      name,
      arn: tg.arn,
      dimension: tg.dimension,
      healthCheck: {
        path: '/health',
        intervalMs: this.#pacer.ms(pacing.healthCheckInterval, 20),
        // Loopback answers in microseconds; the floor keeps a busy machine from failing healthy targets.
        timeoutMs: this.#pacer.ms(pacing.healthCheckTimeout, 1000),
        healthyThreshold: pacing.healthyThreshold,
        unhealthyThreshold: pacing.unhealthyThreshold,
      },
      deregistrationDelayMs: this.#pacer.ms(pacing.deregistrationDelay),
    });
    const alb = this.#arns.loadBalancer(name);
    const lb = new LoadBalancer({
      name,
      arn: alb.arn,
      dimension: alb.dimension,
      host: this.#host,
      port,
      targetGroups: [{ group, weight: 1 }],
      metrics: this.#metrics,
    });
    try {
      await lb.listen();
    } catch (error) {
      group.close();
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code === 'EADDRINUSE') {
        throw new Error(
          `load balancer ${name}: port ${port} on ${this.#host} is in use; choose another port (0 picks a free one)`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    this.#byName.set(name, { lb, group });
    this.#groups.set(group.arn, group);
    return this.#info(lb, group);
  }

  #info(lb: LoadBalancer, group: TargetGroup): LoadBalancerInfo {
    return {
      name: lb.name,
      port: lb.port,
      url: `http://${this.#host}:${lb.port}`,
      loadBalancerArn: lb.arn,
      targetGroupArn: group.arn,
      dimensions: { LoadBalancer: lb.dimension, TargetGroup: group.dimension },
    };
  }

  find(name: string): LoadBalancerInfo | undefined {
    const entry = this.#byName.get(name);
    return entry ? this.#info(entry.lb, entry.group) : undefined;
  }

  targetGroup(arn: string): TargetGroup | undefined {
    return this.#groups.get(arn);
  }

  /** Stops health checks and draining timers (pending drains resolve at once). */
  closeTargetGroups(): void {
    for (const group of this.#groups.values()) group.close();
  }

  /** Closes every listener and its connections. */
  async close(): Promise<void> {
    this.closeTargetGroups();
    await Promise.all([...this.#byName.values()].map(({ lb }) => lb.close()));
    this.#byName.clear();
    this.#groups.clear();
  }
}
