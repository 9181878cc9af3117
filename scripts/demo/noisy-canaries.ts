// The canary demo against noise (issue 16): `shop`'s stable revision serves a
// realistic baseline (0.5% errors at random, 20 ms of jittered latency), and a
// run of healthy canaries that behave exactly like it must all be promoted,
// while a canary failing 5% of requests must be rolled back. Shared by the
// demo (`npm run demo`, row (i)) and test/e2e/noisy-canaries.test.ts.

import { startTraffic, type Traffic } from '../../sandbox/traffic/generator.ts';
import { type AnalysisSummary, analysisOf, formatAnalysis } from '../../src/cli/canary-progress.ts';
import { readHistory } from '../../src/cli/history.ts';
import { sleep } from '../../src/platform/index.ts';
import { CANARY_SERVICE, canaryScenario } from '../lib/canary.ts';
import type { ReleaseSandbox } from '../lib/release-sandbox.ts';
import type { Say, ScenarioResult } from './scenarios.ts';

/** The baseline's noise as tag words: a healthy canary carries the same (sandbox/ecs/seed.ts, CANARY_DEMO_STABLE_TAG). */
export const BASELINE_NOISE = 'err0.5-lat20-jit30';
/**
 * Production traffic (requests a second, besides the demo's own) for the run: at the sandbox's
 * pace a minute is 3 s, so 150 a second puts about 45 requests a minute on the 10% canary, enough
 * for the sequential error test to catch 5% against 0.5% while the canary is small (at 60 a
 * second its share stayed undecided and the -err5 canary reached 100% before failing, or passed).
 */
export const NOISY_CANARY_TRAFFIC_PER_SECOND = 150;
/** A bad canary: 5% errors on the same latency noise. */
export const BAD_NOISE = 'err5-lat20-jit30';

/** One canary release of the run: its tag, how it ended and its analyses. */
export interface NoisyCanary {
  tag: string;
  executionArn: string;
  outcome: string;
  analyses: AnalysisSummary[];
  /** Real seconds the release took. */
  seconds: number;
}

/** How the run is made: how many healthy canaries, their first version number, the production traffic. */
export interface NoisyCanaryOptions {
  healthy: number;
  firstVersion: number;
  trafficPerSecond: number;
}

/**
 * Nominal minutes of production traffic before the first push: once all traffic is on a canary,
 * its analyses compare it with the stable revision over a window as long, ending when the release
 * began (src/canary/check.ts), so the stable revision must have served that long. A real service
 * has; a run that started its traffic with the push gave that comparison a few dozen requests, and
 * a -err5 canary whose 10% step had stayed undecided on a busy machine was promoted.
 */
const WARM_UP_NOMINAL_MINUTES = 3;

/**
 * Releases `healthy` canaries like the baseline, then one failing 5%, one after another under
 * production traffic that runs throughout, as a real service's does.
 */
export async function runNoisyCanaries(
  rs: ReleaseSandbox,
  options: NoisyCanaryOptions,
  say: Say,
): Promise<{ healthy: NoisyCanary[]; bad: NoisyCanary }> {
  const traffic = startTraffic({
    url: rs.lbUrl(CANARY_SERVICE),
    ratePerSecond: options.trafficPerSecond,
    recordAnswers: true,
  });
  const started = Date.now();
  try {
    await sleep(WARM_UP_NOMINAL_MINUTES * 60_000 * rs.sandbox.timeFactor);
    return await releaseAll(rs, options, say, traffic);
  } finally {
    // What production traffic the machine kept up (a busy one sends fewer than asked: the analyses see fewer).
    const { sent, skipped } = await traffic.stop();
    const seconds = (Date.now() - started) / 1000;
    say(
      `  traffic: ${((sent - skipped) / seconds).toFixed(0)} requests/s sent of ${options.trafficPerSecond} asked (${skipped} skipped)`,
    );
  }
}

async function releaseAll(
  rs: ReleaseSandbox,
  options: NoisyCanaryOptions,
  say: Say,
  traffic: Traffic,
): Promise<{ healthy: NoisyCanary[]; bad: NoisyCanary }> {
  const release = async (tag: string): Promise<NoisyCanary> => {
    const started = Date.now();
    const result = await canaryScenario(rs, { tag, trafficPerSecond: options.trafficPerSecond, traffic });
    const analyses = (await readHistory(rs.target, result.executionArn)).flatMap((event) => analysisOf(event) ?? []);
    const seconds = (Date.now() - started) / 1000;
    const canary = { tag, executionArn: result.executionArn, outcome: result.outcome, analyses, seconds };
    say(`  ${describe(canary)}`);
    return canary;
  };
  const healthy: NoisyCanary[] = [];
  for (let i = 0; i < options.healthy; i++) {
    healthy.push(await release(`v${options.firstVersion + i}-${BASELINE_NOISE}`));
  }
  const bad = await release(`v${options.firstVersion + options.healthy}-${BAD_NOISE}`);
  return { healthy, bad };
}

const verdictCounts = (analyses: readonly AnalysisSummary[]) => {
  const counts = new Map<string, number>();
  for (const { verdict } of analyses) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  return [...counts].map(([verdict, n]) => `${n} ${verdict}`).join(', ') || 'no analysis';
};

/** `v10-err0.5-lat20-jit30 SUCCEEDED in 31.2 s (5 pass)`. */
export function describe(canary: NoisyCanary): string {
  return `${canary.tag} ${canary.outcome} in ${canary.seconds.toFixed(1)} s (${verdictCounts(canary.analyses)})`;
}

/** (i) judged: every healthy canary promoted, none rolled back, and the bad one rolled back. */
export function judgeNoisyCanaries(
  { healthy, bad }: { healthy: readonly NoisyCanary[]; bad: NoisyCanary },
  scenario: string,
): ScenarioResult {
  const promoted = healthy.filter((canary) => canary.outcome === 'SUCCEEDED').length;
  const rolledBack = healthy.filter((canary) => canary.outcome === 'ROLLED_BACK');
  const deciding = bad.analyses.at(-1);
  const falseRollbacks = rolledBack.map((canary) => {
    const last = canary.analyses.at(-1);
    return `${canary.tag}: ${last ? formatAnalysis(last) : 'no analysis'}`;
  });
  return {
    scenario,
    expected: `${healthy.length} healthy canaries like the noisy baseline all promoted, 0 rolled back; ${bad.tag} ROLLED_BACK`,
    observed:
      `${promoted} promoted, ${rolledBack.length} rolled back (${verdictCounts(healthy.flatMap((c) => c.analyses))}); ` +
      `${bad.tag} ${bad.outcome}${deciding ? ` (last analysis: ${deciding.verdict})` : ''}`,
    ok: healthy.length > 0 && promoted === healthy.length && bad.outcome === 'ROLLED_BACK',
    note: [
      ...falseRollbacks.map((line) => `false rollback ${line}`),
      deciding ? `${bad.tag} decided by ${formatAnalysis(deciding)}` : `${bad.tag}: no analysis ran`,
    ].join('; '),
  };
}

/** (i) The canary demo against noise: 10 healthy canaries promoted, a -err5 one rolled back. */
export async function noisyCanaries(
  rs: ReleaseSandbox,
  say: Say,
  options: NoisyCanaryOptions,
): Promise<ScenarioResult> {
  const judged = judgeNoisyCanaries(await runNoisyCanaries(rs, options, say), '(i) noisy canaries');
  say(`  ${judged.note ?? ''}`);
  return judged;
}
