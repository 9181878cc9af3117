import type { StrategyConfig } from '../../src/catalog/strategy.ts';

// The traffic steps ECS takes for a native strategy, as src/release/native-rollout.ts
// configures it: each step's share of production for the canary and how long
// ECS bakes it before the hook that pauses the next shift.

/** One step of a rollout: the canary's share (0–1) and its planned bake, minutes. */
export interface TrafficStep {
  share: number;
  bakeMinutes: number;
}

/** The steps while both revisions serve production, then the bake with all traffic on the new one. */
export interface RolloutSchedule {
  shared: TrafficStep[];
  /** Minutes ECS bakes after the last shift, before it retires the old revision. */
  finalBakeMinutes: number;
}

/** The rollout a strategy (defaults applied) makes ECS take. */
export function rolloutSchedule(strategy: StrategyConfig): RolloutSchedule {
  const finalBakeMinutes = strategy.bakeMinutes ?? 0;
  if (strategy.strategy === 'canary' && strategy.canary !== undefined) {
    const { percent, bakeMinutes } = strategy.canary;
    return { shared: percent < 100 ? [{ share: percent / 100, bakeMinutes }] : [], finalBakeMinutes };
  }
  if (strategy.strategy === 'linear' && strategy.linear !== undefined) {
    const { stepPercent, stepBakeMinutes } = strategy.linear;
    const shared: TrafficStep[] = [];
    // In tenths of a percent, as ECS takes them, so that 3 × 33.3 stays below 100.
    for (let tenths = stepPercent * 10; tenths < 1000; tenths += stepPercent * 10) {
      shared.push({ share: Math.round(tenths) / 1000, bakeMinutes: stepBakeMinutes });
    }
    return { shared, finalBakeMinutes };
  }
  return { shared: [], finalBakeMinutes };
}
