// The demo's two canary releases of `shop` (ECS's CANARY strategy, 10% then
// 100%, each step judged by canary-check), with production traffic running:
// what decided (the analysis and its numbers), the split ECS made, and what
// the users saw while the canary served.

import type { TrafficAnswer } from '../../sandbox/traffic/generator.ts';
import { type AnalysisSummary, analysisOf, formatAnalysis } from '../../src/cli/canary-progress.ts';
import { readHistory } from '../../src/cli/history.ts';
import { watchRelease } from '../../src/cli/watch.ts';
import { CANARY_REPOSITORY, type CanaryScenarioResult, canaryScenario } from '../lib/canary.ts';
import type { ReleaseSandbox } from '../lib/release-sandbox.ts';
import { tagOf } from '../lib/releases.ts';
import { firstLine, type Say, type ScenarioResult } from './scenarios.ts';

/** Production traffic the demo adds to the sandbox's own 20 requests/s, so each analysis interval has requests to judge. */
export const CANARY_TRAFFIC_PER_SECOND = 40;

/** A canary release and every analysis its execution recorded, oldest first. */
export interface JudgedCanary {
  result: CanaryScenarioResult;
  analyses: AnalysisSummary[];
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const tags = (images: readonly string[]) => images.map(tagOf).join('+') || '?';

/** Pushes `demo/shop:<tag>` under traffic, prints it as `release watch` does, and reads its analyses. */
async function releaseCanary(rs: ReleaseSandbox, tag: string, say: Say): Promise<JudgedCanary> {
  say(`$ release push ${CANARY_REPOSITORY}:${tag} --watch   (users: ${CANARY_TRAFFIC_PER_SECOND} requests/s more)`);
  const result = await canaryScenario(rs, {
    tag,
    trafficPerSecond: CANARY_TRAFFIC_PER_SECOND,
    follow: (executionArn) =>
      watchRelease(rs.target, executionArn, {
        timeoutSeconds: 120,
        pollMs: 100,
        print: (text) => say(firstLine(text, executionArn)),
      }),
  });
  const history = await readHistory(rs.target, result.executionArn);
  const analyses = history.flatMap((event) => analysisOf(event) ?? []);
  const { exposure, step } = result;
  if (step) say(`  split while both served: ${percent(step.canaryShare)} of ${step.answers} requests by ${tag}`);
  if (exposure) {
    say(
      `  users while ${tag} served (${exposure.nominalSeconds.toFixed(0)} nominal s, ${exposure.intervals.toFixed(1)} intervals): ` +
        `${exposure.answers} requests, ${exposure.errors} errors (${percent(exposure.errorRate)}), ` +
        `${percent(exposure.canaryShare)} served by ${tag}`,
    );
  }
  return { result, analyses };
}

/**
 * The most errors the stable revision or a healthy canary may serve: shop's
 * stable image fails 0.5% of requests at random (a realistic baseline), so a
 * served user is one not failed beyond that noise; 2% leaves room for chance
 * over a few hundred answers, not for a bad canary's 30%.
 */
export const NOISE_TOLERANCE = 0.02;

const failed = (answer: TrafficAnswer) => answer.status !== '200';
const withinNoise = (answers: readonly TrafficAnswer[]) =>
  answers.filter(failed).length <= NOISE_TOLERANCE * answers.length;

/** The answers after `from` (epoch ms): who serves production once one side has stopped answering. */
function servedAfter(
  { result }: JudgedCanary,
  from: number,
): { images: string[]; ok: boolean; count: number; errors: number } {
  const after = (result.counts.answers ?? []).filter((answer) => answer.at > from);
  return {
    images: [...new Set(after.map((answer) => answer.image))],
    ok: after.length > 0 && withinNoise(after),
    count: after.length,
    errors: after.filter(failed).length,
  };
}

/** (d) judged: rolled back because an analysis failed (or the test listener's smoke check, before any user), the stable revision serving every other request throughout and all of them after (failing no more than its noise). */
export function judgeBadCanary(canary: JudgedCanary, scenario: string): ScenarioResult {
  const { result, analyses } = canary;
  const { exposure } = result;
  const deciding = analyses.at(-1);
  const byAnalysis = deciding?.verdict === 'fail';
  // During the exposure, the other users were served by the stable revision, failed no more than its own noise.
  const stableServed =
    exposure !== undefined &&
    withinNoise(
      (result.counts.answers ?? []).filter(
        (answer) => answer.at >= exposure.from && answer.at <= exposure.to && answer.image !== result.canaryImage,
      ),
    );
  // The demo app fails each request at random with the tag's chance, so the test listener's one
  // smoke request (before any production traffic) meets an error about one time in three: then the
  // canary is rolled back there, before any user reached it, which is as good an outcome.
  const bySmoke = exposure === undefined && analyses.length === 0;
  const after = servedAfter(canary, exposure?.to ?? 0);
  const backOnStable = after.ok && after.images.every((image) => result.stableImages.includes(image));
  const users = exposure
    ? `users: ${exposure.answers} requests, ${exposure.errors} errors (${percent(exposure.errorRate)}), ${percent(exposure.canaryShare)} by canary`
    : 'the canary met no production traffic';
  return {
    scenario,
    expected: `ROLLED_BACK by analysis (or by the test listener's smoke check, before any user), ${tags(result.stableImages)} serves the other users throughout and all after`,
    observed:
      `${result.outcome}${byAnalysis ? ' by analysis' : deciding ? ` (last analysis: ${deciding.verdict})` : bySmoke ? " by the test listener's smoke check" : ' (no analysis)'}` +
      `${exposure ? ` after ${exposure.intervals.toFixed(1)} interval(s)` : ''}; ${users}; ` +
      `then ${after.count} × ${backOnStable ? tags(after.images) : `NOT ${tags(result.stableImages)} within its noise`} (${after.errors} errors)`,
    ok:
      result.outcome === 'ROLLED_BACK' &&
      ((byAnalysis && exposure !== undefined && stableServed) || bySmoke) &&
      backOnStable,
    ...(deciding ? { note: `decided by ${formatAnalysis(deciding)}` } : {}),
  };
}

/** (e) judged: promoted, the last analysis passing and none failing, the canary serving all production traffic after (within the noise). */
export function judgeGoodCanary(canary: JudgedCanary, scenario: string): ScenarioResult {
  const { result, analyses } = canary;
  const last = analyses.at(-1);
  const verdicts = new Map<string, number>();
  for (const { verdict } of analyses) verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
  const passed = last?.verdict === 'pass' && !verdicts.has('fail');
  const stableLast = Math.max(0, ...result.stableImages.map((image) => result.counts.lastAnswerAt[image] ?? 0));
  const after = servedAfter(canary, stableLast);
  const canaryServes = after.ok && after.images.every((image) => image === result.canaryImage);
  const split = result.step ? `${percent(result.step.canaryShare)} by canary during its step` : 'no step seen';
  return {
    scenario,
    expected: `SUCCEEDED, last analysis pass and none fail, then ${tagOf(result.canaryImage)} serves all users`,
    observed:
      `${result.outcome}, ${analyses.length} analyses (${[...verdicts].map(([verdict, n]) => `${n} ${verdict}`).join(', ')}), ` +
      `${split}; then ${after.count} × ${canaryServes ? tags(after.images) : `NOT ${tagOf(result.canaryImage)} within the noise`} (${after.errors} errors)`,
    ok: result.outcome === 'SUCCEEDED' && passed && canaryServes,
    ...(last ? { note: `last analysis: ${formatAnalysis(last)}` } : {}),
  };
}

/** (d) A canary failing 30% of requests is rolled back by analysis while users keep being served. */
export async function badCanary(rs: ReleaseSandbox, tag: string, say: Say): Promise<ScenarioResult> {
  const judged = judgeBadCanary(await releaseCanary(rs, tag, say), `(d) canary ${tag}`);
  say(`  ${judged.note ?? 'no analysis decided'}`);
  return judged;
}

/** (e) A healthy canary is promoted. */
export async function goodCanary(rs: ReleaseSandbox, tag: string, say: Say): Promise<ScenarioResult> {
  const judged = judgeGoodCanary(await releaseCanary(rs, tag, say), `(e) canary ${tag}`);
  say(`  ${judged.note ?? 'no analysis ran'}`);
  return judged;
}
