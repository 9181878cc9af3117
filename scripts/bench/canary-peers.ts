// The canary lab's "Done when" scenarios (scripts/canary-lab/scenarios, the
// default policy and strategy) through the production judgement and through
// reference implementations of the peers' documented rules (scripts/bench/peers),
// each judge over the same seeded traffic. Figures: for a healthy canary, how
// often it was rolled back (false rollbacks); for a worse one, how often it was
// (detection) and after how many analyses on average.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LabJudge, productionJudge } from '../canary-lab/judge.ts';
import { type LabResult, rolledBackWithin, runScenario } from '../canary-lab/run.ts';
import { isHealthy, parseScenario } from '../canary-lab/scenario.ts';
import { argoRolloutsJudge } from './peers/argo-rollouts.ts';
import { flaggerJudge } from './peers/flagger.ts';
import { kayentaJudge } from './peers/kayenta.ts';

const SCENARIOS = fileURLToPath(new URL('../canary-lab/scenarios/', import.meta.url));
// Enough for a 1-point resolution on rates near 1 % without passing a minute on 2 cores.
export const PEER_TRIALS = 300;

const JUDGES: readonly LabJudge[] = [productionJudge, flaggerJudge, argoRolloutsJudge, kayentaJudge];

/** Issue 16's "Done when" line for a scenario, and whether a judge's figures meet it. */
interface Target {
  text: string;
  met: (summary: LabResult) => boolean;
  /** "within n analyses": read as the mean (met), and shown as the share rolled back by the n-th analysis too. */
  within?: number;
}

const share = (count: number, summary: LabResult) => count / summary.trials;
const caught = (rate: number, analyses?: number): Target => ({
  text: `≥ ${rate * 100}%${analyses === undefined ? '' : `, ≤ ${analyses} analyses (mean)`}`,
  ...(analyses === undefined ? {} : { within: analyses }),
  met: (summary) =>
    share(summary.rolledBack, summary) >= rate &&
    (analyses === undefined || (summary.analysesToRollback.mean ?? Number.POSITIVE_INFINITY) <= analyses),
});
const TARGETS: Record<string, Target> = {
  'errors-plus2-6000': caught(0.99, 2),
  'errors-plus5-600': caught(0.95, 3),
  'latency-plus50-6000': caught(0.95, 5),
  'errors-plus10-120': caught(0.9),
  'healthy-120-err1-jitter15': { text: 'none for want of data', met: (summary) => summary.rolledBackNoData === 0 },
};
const HEALTHY: Target = { text: '≤ 1% rolled back', met: (summary) => share(summary.rolledBack, summary) <= 0.01 };

/** One scenario's figures per judge, in JUDGES' order. */
export interface PeerRow {
  scenario: string;
  healthy: boolean;
  summaries: LabResult[];
}

/** The lab figures behind the peer table, and how long they took. */
export interface PeerFigures {
  trials: number;
  judges: string[];
  rows: PeerRow[];
  seconds: number;
}

/** Runs every "Done when" scenario (not the issue's table, `issue-*`) through every judge, `trials` releases each. */
export async function benchCanaryPeers(trials = PEER_TRIALS): Promise<PeerFigures> {
  const started = performance.now();
  const files = (await readdir(SCENARIOS))
    .filter((file) => file.endsWith('.json') && !file.startsWith('issue-'))
    .sort();
  const rows: PeerRow[] = [];
  for (const file of files) {
    const scenario = parseScenario(await readFile(join(SCENARIOS, file), 'utf8'));
    const summaries: LabResult[] = [];
    for (const judge of JUDGES) summaries.push(await runScenario({ scenario, judge, trials }));
    rows.push({ scenario: file.replace(/\.json$/, ''), healthy: isHealthy(scenario), summaries });
    process.stderr.write(`  canary peers: ${file} done\n`);
  }
  return { trials, judges: JUDGES.map((judge) => judge.name), rows, seconds: (performance.now() - started) / 1000 };
}

/** Prints one table: per scenario, each judge's false-rollback rate (healthy) or detection rate and mean analyses to it. */
export function printCanaryPeers({ trials, judges, rows, seconds }: PeerFigures): void {
  const width = 30;
  console.log(
    `\nCanary verdicts side by side: the canary lab's scenarios (scripts/canary-lab/scenarios, default policy and\n` +
      `strategy), ${trials} seeded releases per scenario and judge, the same traffic for each judge (${seconds.toFixed(1)} s)`,
  );
  console.log(
    `${'scenario'.padEnd(38)}${'Done when (issue 16)'.padEnd(40)}${judges.map((name) => name.padStart(width)).join('')}`,
  );
  for (const { scenario, healthy, summaries } of rows) {
    const target = TARGETS[scenario] ?? HEALTHY;
    const ours = summaries[0];
    const verdict = ours === undefined ? '' : target.met(ours) ? ' (met)' : ' (NOT met)';
    const within =
      ours === undefined || target.within === undefined
        ? ''
        : `(ours: ${(100 * rolledBackWithin(ours, target.within)).toFixed(1)}% by analysis ${target.within})`;
    const cells = summaries.map((summary) => cell(summary, healthy).padStart(width));
    console.log(`${scenario.padEnd(38)}${`${target.text}${verdict}`.padEnd(40)}${cells.join('')}`);
    if (within !== '') console.log(`${''.padEnd(38)}${within}`);
  }
  console.log(
    'healthy: "false rollbacks" (of which for want of data); worse canary: "caught, mean analyses to the rollback";\n' +
      `"Done when": issue 16's target for ${judges[0]}, and whether this run meets it.\n` +
      judges
        .slice(1)
        .map((name) => `${name}: reference implementation of ${possessive(name)} documented rule\n`)
        .join('') +
      '(scripts/bench/peers: each file cites the documentation it follows; not the tools themselves)',
  );
}

const possessive = (name: string): string => (name.endsWith('s') ? `${name}'` : `${name}'s`);

function cell(summary: LabResult, healthy: boolean): string {
  const rate = `${((100 * summary.rolledBack) / summary.trials).toFixed(1)}%`;
  if (healthy) {
    const noData =
      summary.rolledBackNoData === 0 ? '' : ` (${((100 * summary.rolledBackNoData) / summary.trials).toFixed(0)}%)`;
    return `${rate}${noData} false rollbacks`;
  }
  return `${rate} caught, ${summary.analysesToRollback.mean?.toFixed(1) ?? '-'} analyses`;
}
