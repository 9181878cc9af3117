import type { Arns } from '../aws/arns.ts';
import type { Pacer } from '../ecs/pacing.ts';
import type { AlbMetrics } from './alb-metrics.ts';
import { ListenerRule } from './listener-rule.ts';
import { LoadBalancer } from './load-balancer.ts';
import { TargetGroup } from './target-group.ts';

// The sandbox's load balancers: one ALB per service, named
// `<cluster>-<service>` (ALB names: 32 characters, letters, digits and
// dashes), with one target group; or, for ECS's native blue/green, canary
// and linear deployments, two target groups (`<name>` and `<name>-alt`), a
// production listener rule on the ALB's port and a test listener rule on a
// second loopback port. Ids derive from the names, so a service's ARNs and
// CloudWatch dimensions are the same at every start.

/** AWS/ApplicationELB dimension values: `app/<name>/<id>` and `targetgroup/<name>/<id>`. */
export interface AlbDimensions {
  LoadBalancer: string;
  TargetGroup: string;
}

/** The second target group, the listener rules and the test listener of a load balancer set up for native deployments. */
export interface NativeTrafficInfo {
  alternateTargetGroupArn: string;
  /** The alternate target group's dimensions (the primary's are in `dimensions`). */
  alternateDimensions: AlbDimensions;
  /** The rule on the production listener (`port`) whose weights ECS moves. */
  productionListenerRuleArn: string;
  /** The rule on the test listener (`testPort`): 100% to the new revision from TEST_TRAFFIC_SHIFT on. */
  testListenerRuleArn: string;
  testPort: number;
  testUrl: string;
}

/** How to reach a service's load balancer and query its metrics. */
export interface LoadBalancerInfo {
  name: string;
  port: number;
  url: string;
  loadBalancerArn: string;
  /** The primary target group. */
  targetGroupArn: string;
  dimensions: AlbDimensions;
  native?: NativeTrafficInfo;
}

/** An ALB name from any text: letters, digits and dashes, at most 32 characters. */
export function albName(text: string): string {
  const name = text
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .slice(0, 32)
    .replace(/^-+|-+$/g, '');
  return name || 'sandbox';
}

interface Native {
  alternate: TargetGroup;
  test: LoadBalancer;
  productionRule: ListenerRule;
  testRule: ListenerRule;
}

interface Entry {
  lb: LoadBalancer;
  group: TargetGroup;
  native?: Native;
}

export class LoadBalancers {
  readonly #arns: Arns;
  readonly #pacer: Pacer;
  readonly #metrics: AlbMetrics;
  readonly #host: string;
  readonly #byName = new Map<string, Entry>();
  readonly #groups = new Map<string, TargetGroup>();
  readonly #rules = new Map<string, ListenerRule>();

  constructor(options: { arns: Arns; pacer: Pacer; metrics: AlbMetrics; host: string }) {
    this.#arns = options.arns;
    this.#pacer = options.pacer;
    this.#metrics = options.metrics;
    this.#host = options.host;
  }

  /**
   * Creates and starts an ALB listening on `port` (0: a free one) with one
   * target group; with `testPort`, also an alternate target group, the
   * production listener rule and a test listener on `testPort`.
   */
  async create(name: string, port: number, options: { testPort?: number } = {}): Promise<LoadBalancerInfo> {
    const existing = this.#byName.get(name);
    if (existing) return this.#info(existing);
    const group = this.#targetGroup(name);
    const alb = this.#arns.loadBalancer(name);
    const listener = (listenerPort: number) =>
      new LoadBalancer({
        name,
        arn: alb.arn,
        dimension: alb.dimension,
        host: this.#host,
        port: listenerPort,
        targetGroups: [{ group, weight: 1 }],
        metrics: this.#metrics,
      });
    const entry: Entry = { lb: listener(port), group };
    const groups = [group];
    if (options.testPort !== undefined) {
      const alternate = this.#targetGroup(albName(`${name.slice(0, 28)}-alt`));
      groups.push(alternate);
      const test = listener(options.testPort);
      const both = [
        { targetGroupArn: group.arn, weight: 1 },
        { targetGroupArn: alternate.arn, weight: 0 },
      ];
      const productionListener = this.#arns.listener(alb.dimension, 'production');
      const testListener = this.#arns.listener(alb.dimension, 'test');
      entry.native = {
        alternate,
        test,
        productionRule: new ListenerRule(
          this.#arns.listenerRule(productionListener, 'production'),
          entry.lb,
          groups,
          both,
        ),
        testRule: new ListenerRule(this.#arns.listenerRule(testListener, 'test'), test, groups, both),
      };
    }
    try {
      await entry.lb.listen();
      await entry.native?.test.listen();
    } catch (error) {
      for (const g of groups) g.close();
      await entry.lb.close();
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code === 'EADDRINUSE') {
        throw new Error(
          `load balancer ${name}: port ${port}${options.testPort === undefined ? '' : ` or ${options.testPort}`} on ${this.#host} is in use; choose another port (0 picks a free one)`,
          { cause: error },
        );
      }
      throw error;
    }
    this.#byName.set(name, entry);
    for (const g of groups) this.#groups.set(g.arn, g);
    if (entry.native) {
      this.#rules.set(entry.native.productionRule.arn, entry.native.productionRule);
      this.#rules.set(entry.native.testRule.arn, entry.native.testRule);
    }
    return this.#info(entry);
  }

  #targetGroup(name: string): TargetGroup {
    const { pacing } = this.#pacer;
    const tg = this.#arns.targetGroup(name);
    return new TargetGroup({
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
  }

  #info({ lb, group, native }: Entry): LoadBalancerInfo {
    const url = (port: number) => `http://${this.#host}:${port}`;
    return {
      name: lb.name,
      port: lb.port,
      url: url(lb.port),
      loadBalancerArn: lb.arn,
      targetGroupArn: group.arn,
      dimensions: { LoadBalancer: lb.dimension, TargetGroup: group.dimension },
      ...(native
        ? {
            native: {
              alternateTargetGroupArn: native.alternate.arn,
              alternateDimensions: { LoadBalancer: lb.dimension, TargetGroup: native.alternate.dimension },
              productionListenerRuleArn: native.productionRule.arn,
              testListenerRuleArn: native.testRule.arn,
              testPort: native.test.port,
              testUrl: url(native.test.port),
            },
          }
        : {}),
    };
  }

  find(name: string): LoadBalancerInfo | undefined {
    const entry = this.#byName.get(name);
    return entry ? this.#info(entry) : undefined;
  }

  targetGroup(arn: string): TargetGroup | undefined {
    return this.#groups.get(arn);
  }

  listenerRule(arn: string): ListenerRule | undefined {
    return this.#rules.get(arn);
  }

  /** Stops health checks and draining timers (pending drains resolve at once). */
  closeTargetGroups(): void {
    for (const group of this.#groups.values()) group.close();
  }

  /** Closes every listener and its connections. */
  async close(): Promise<void> {
    this.closeTargetGroups();
    const listeners = [...this.#byName.values()].flatMap((e) => (e.native ? [e.lb, e.native.test] : [e.lb]));
    await Promise.all(listeners.map((lb) => lb.close()));
    this.#byName.clear();
    this.#groups.clear();
    this.#rules.clear();
  }
}
