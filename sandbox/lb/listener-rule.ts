import type { LoadBalancer } from './load-balancer.ts';
import type { TargetGroup } from './target-group.ts';

// A listener rule whose forward action splits traffic between target groups
// by weight, as ELB's ModifyRule sets it: what ECS's blue/green, canary and
// linear deployments move step by step. The rule is its listener's only
// rule here, so setting its weights routes every request of that listener.

/** One target group of a forward action and its weight. */
export interface ForwardWeight {
  targetGroupArn: string;
  weight: number;
}

export class ListenerRule {
  readonly arn: string;
  readonly listener: LoadBalancer;
  readonly #groups: ReadonlyMap<string, TargetGroup>;
  #weights: ForwardWeight[];

  constructor(arn: string, listener: LoadBalancer, groups: TargetGroup[], weights: ForwardWeight[]) {
    this.arn = arn;
    this.listener = listener;
    this.#groups = new Map(groups.map((group) => [group.arn, group]));
    this.#weights = [];
    this.forward(weights);
  }

  /** The forward action's target groups and weights. */
  weights(): ForwardWeight[] {
    return this.#weights.map((w) => ({ ...w }));
  }

  /** The weight of one target group (0 when the rule does not name it). */
  weightOf(targetGroupArn: string): number {
    return this.#weights.find((w) => w.targetGroupArn === targetGroupArn)?.weight ?? 0;
  }

  /** Replaces the forward action's weights; every target group must be one the rule knows. */
  forward(weights: ForwardWeight[]): void {
    const routes = weights.map(({ targetGroupArn, weight }) => {
      const group = this.#groups.get(targetGroupArn);
      if (!group) throw new Error(`listener rule ${this.arn} does not forward to ${targetGroupArn}`);
      if (!(weight >= 0)) throw new RangeError(`weight must not be negative, got ${weight}`);
      return { group, weight };
    });
    this.#weights = weights.map((w) => ({ ...w }));
    this.listener.setWeights(routes);
  }
}
