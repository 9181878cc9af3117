import type { CanaryCheckRequest } from '../../src/canary/index.ts';
import { canaryCheckRequestSchema } from '../../src/canary/index.ts';
import { type LabJudge, productionJudge } from './judge.ts';
import { BASELINE_TARGET_GROUP, CANARY_TARGET_GROUP, RELEASE_START } from './metrics.ts';
import { runTrial, type TrialOutcome } from './release.ts';
import type { Scenario } from './scenario.ts';
import { rolloutSchedule } from './schedule.ts';
import { mixSeed, TrialTraffic } from './traffic.ts';

/** A scenario's figures over all its trials: the JSON line the lab prints last. */
export interface LabSummary {
  trials: number;
  promoted: number;
  rolledBack: number;
  rolledBackOnFailure: number;
  rolledBackNoData: number;
  asked: number;
  extended: number;
  /** Over the rolled-back trials; null when none was. */
  analysesToRollback: { mean: number | null; p95: number | null };
}

/** The summary, and the count of analyses each rolled-back trial took (sorted), for shares "within n". */
export interface LabResult extends LabSummary {
  rollbackAnalyses: readonly number[];
}

/** The JSON line's fields only (the summary the lab prints last). */
export const summaryOf = ({ rollbackAnalyses: _analyses, ...summary }: LabResult): LabSummary => summary;

/** The share of all trials rolled back within `analyses` analyses. */
export const rolledBackWithin = (result: LabResult, analyses: number): number =>
  result.rollbackAnalyses.filter((count) => count <= analyses).length / Math.max(result.trials, 1);

/** How a run reports progress: called after each trial. */
export type Progress = (done: number, total: number) => void;

/** What to run: the scenario, the judge (the production one by default), and how many trials (the scenario's by default). */
export interface LabRun {
  scenario: Scenario;
  judge?: LabJudge;
  trials?: number;
  progress?: Progress;
}

/** Runs a scenario's trials, each seeded from the scenario's seed and its number, through a judge. */
export async function runScenario({ scenario, judge = productionJudge, trials, progress }: LabRun): Promise<LabResult> {
  const request = baseRequest(scenario);
  const schedule = rolloutSchedule(scenario.strategy);
  const outcomes: TrialOutcome[] = [];
  const total = trials ?? scenario.trials;
  for (let trial = 0; trial < total; trial++) {
    const traffic = new TrialTraffic(scenario, mixSeed(scenario.seed, trial));
    outcomes.push(await runTrial({ request, judge, schedule, traffic }));
    progress?.(trial + 1, total);
  }
  return summarise(outcomes);
}

// The canary-check step's input as the state machine passes it, parsed by the
// step's own schema (so a catalog field the step drops is dropped here too);
// each analysis then sets its window.
function baseRequest(scenario: Scenario): CanaryCheckRequest {
  return canaryCheckRequestSchema.parse({
    loadBalancer: 'app/lab/0000000000000000',
    canaryTargetGroup: CANARY_TARGET_GROUP,
    baselineTargetGroup: BASELINE_TARGET_GROUP,
    window: { since: RELEASE_START.toISOString() },
    policy: scenario.policy,
  });
}

/** Counts outcomes; the analyses to a rollback as mean and 95th percentile (nearest rank). */
export function summarise(outcomes: readonly TrialOutcome[]): LabResult {
  const rolledBack = outcomes.flatMap((o) => (o.outcome === 'rolledBack' ? [o] : []));
  const analyses = rolledBack.map((o) => o.analyses).sort((a, b) => a - b);
  const mean = analyses.length === 0 ? null : analyses.reduce((sum, n) => sum + n, 0) / analyses.length;
  const p95 = analyses.length === 0 ? null : (analyses[Math.ceil(0.95 * analyses.length) - 1] ?? null);
  return {
    trials: outcomes.length,
    promoted: outcomes.filter((o) => o.outcome === 'promoted').length,
    rolledBack: rolledBack.length,
    rolledBackOnFailure: rolledBack.filter((o) => o.onFailure).length,
    rolledBackNoData: rolledBack.filter((o) => !o.onFailure).length,
    asked: outcomes.filter((o) => o.outcome === 'asked').length,
    extended: outcomes.filter((o) => o.extended).length,
    analysesToRollback: { mean: mean === null ? null : Number(mean.toFixed(2)), p95 },
    rollbackAnalyses: analyses,
  };
}
