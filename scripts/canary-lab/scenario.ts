import * as z from 'zod';
import {
  analysisSchema,
  bakeMinutesSchema,
  canaryShiftSchema,
  linearShiftSchema,
  type StrategyConfig,
  withStrategyDefaults,
} from '../../src/catalog/index.ts';
import { InvalidScenarioError } from './errors.ts';

// A canary-lab scenario: many simulated releases of one service. The policy and
// the strategy are the catalog's own blocks, parsed by the catalog's schemas, so
// their defaults and limits are the ones a release would get.

export const MAX_TRIALS = 100_000;

const side = z.strictObject({
  errorRate: z.number().min(0).max(1),
  latencyMs: z.number().gt(0).max(600_000),
  // The σ of the per-minute latency datapoint's lognormal factor; 3 already spreads it ×20 either way.
  latencyJitter: z.number().min(0).max(3),
});

// The strategy blocks a catalog environment carries for a native release (its
// load balancer is not needed here: the lab is the load balancer).
const strategySchema = z
  .strictObject({
    strategy: z.enum(['canary', 'linear', 'blue-green']).default('canary'),
    canary: canaryShiftSchema.optional(),
    linear: linearShiftSchema.optional(),
    bakeMinutes: bakeMinutesSchema.optional(),
  })
  .refine((config) => config.canary === undefined || config.strategy === 'canary', {
    message: 'canary goes with strategy canary',
    path: ['canary'],
  })
  .refine((config) => config.linear === undefined || config.strategy === 'linear', {
    message: 'linear goes with strategy linear',
    path: ['linear'],
  })
  .transform((config) => withStrategyDefaults<StrategyConfig>(config));

export const scenarioSchema = z.strictObject({
  trials: z.number().int().min(1).max(MAX_TRIALS),
  seed: z.number().int().min(0).max(0xffff_ffff),
  trafficPerMinute: z.number().gt(0).max(10_000_000),
  // The σ of a lognormal factor on each minute's latency that both sides share (load, a slow
  // dependency), the minutes before the release too: the noise a paired comparison cancels.
  sharedJitter: z.number().min(0).max(3).default(0),
  policy: analysisSchema.default(() => analysisSchema.parse({})),
  strategy: strategySchema.default(() => strategySchema.parse({})),
  baseline: side,
  canary: side,
});

/** A scenario, defaults applied. */
export type Scenario = z.output<typeof scenarioSchema>;
/** One side's traffic: its 5xx rate, its latency and the latency's per-minute jitter. */
export type SideBehaviour = Scenario['baseline'];

/** Parses untrusted scenario JSON (text or a value); throws InvalidScenarioError naming the field at fault. */
export function parseScenario(input: unknown): Scenario {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InvalidScenarioError(`the scenario is not JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length === 0 ? 'the scenario' : issue.path.join('.');
      return `${where}: ${issue.message}`;
    });
    throw new InvalidScenarioError(`invalid scenario: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Whether the canary behaves as its baseline does: a rollback of it is a false one. */
export const isHealthy = (scenario: Scenario): boolean =>
  scenario.canary.errorRate === scenario.baseline.errorRate &&
  scenario.canary.latencyMs === scenario.baseline.latencyMs &&
  scenario.canary.latencyJitter === scenario.baseline.latencyJitter;
