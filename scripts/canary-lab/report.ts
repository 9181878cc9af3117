import { type LabResult, rolledBackWithin } from './run.ts';
import type { Scenario } from './scenario.ts';

/** The scenario and its figures as a table a person reads. */
export function formatTable(name: string, scenario: Scenario, summary: LabResult, seconds: number): string {
  const share = (count: number) => `${String(count).padStart(7)}  ${percent(count / summary.trials).padStart(7)}`;
  const side = (s: Scenario['baseline']) =>
    `${percent(s.errorRate)} errors, ${s.latencyMs} ms × lognormal(0, ${s.latencyJitter})`;
  const { mean, p95 } = summary.analysesToRollback;
  return [
    `canary lab: ${name}`,
    `  ${scenario.trials} releases, seed ${scenario.seed}, ${scenario.trafficPerMinute} requests/min, ${describe(scenario)}`,
    `  baseline ${side(scenario.baseline)}`,
    `  canary   ${side(scenario.canary)}`,
    '',
    '  outcome                    releases    share',
    `  promoted                   ${share(summary.promoted)}`,
    `  rolled back                ${share(summary.rolledBack)}`,
    `    on a failed analysis     ${share(summary.rolledBackOnFailure)}`,
    `    for want of data         ${share(summary.rolledBackNoData)}`,
    `  asked in Slack             ${share(summary.asked)}`,
    `  bake extended              ${share(summary.extended)}`,
    `  analyses to a rollback     mean ${mean ?? '-'}, p95 ${p95 ?? '-'}`,
    `  rolled back within         ${WITHIN.map((n) => `${n}: ${percent(rolledBackWithin(summary, n))}`).join(', ')} (analyses: share of all releases)`,
    `  ${Math.round(summary.trials / seconds)} releases/s (${seconds.toFixed(1)} s)`,
  ].join('\n');
}

const WITHIN = [1, 2, 3, 5, 10] as const;

function describe(scenario: Scenario): string {
  const { strategy, canary, linear, bakeMinutes } = scenario.strategy;
  const shift =
    strategy === 'canary' && canary
      ? `canary ${canary.percent}% for ${canary.bakeMinutes} min`
      : strategy === 'linear' && linear
        ? `linear ${linear.stepPercent}% a step, ${linear.stepBakeMinutes} min each`
        : strategy;
  return `${shift}, bake ${bakeMinutes ?? 0} min, analysis every ${scenario.policy.intervalSeconds} s`;
}

const percent = (fraction: number): string => `${(fraction * 100).toFixed(fraction < 0.01 && fraction > 0 ? 2 : 1)}%`;
