// A canary release of the demo service `shop` as users meet it: traffic
// through its load balancer's production listener while `demo/shop:<tag>` is
// pushed and released, and what that traffic saw. Shared by the end-to-end
// tests (test/e2e/canary.test.ts), the demo and the bench.

import { startTraffic, type Traffic, type TrafficAnswer, type TrafficCounts } from '../../sandbox/traffic/generator.ts';
import { catalogFilePath, loadCatalogFile } from '../../src/catalog/index.ts';
import { sleep } from '../../src/platform/index.ts';
import type { ReleaseSandbox } from './release-sandbox.ts';
import { releaseOutcome, startRelease, waitForExecution } from './releases.ts';

export const CANARY_SERVICE = 'shop';
export const CANARY_REPOSITORY = 'demo/shop';

export interface CanaryScenarioOptions {
  /** The tag to push, e.g. `v2` (healthy) or `v2-err30` (fails 30% of requests). */
  tag: string;
  /** Production traffic during the release, requests per second. */
  trafficPerSecond: number;
  /** Default: 30 nominal minutes at the sandbox's time factor, and 30 s more. */
  timeoutMs?: number;
  /**
   * Production traffic already running, shared by a run of releases and left running (the caller stops it):
   * the stable revision then has traffic from before the release, as a real service does, which the
   * analyses at 100% compare the new revision with. Default: traffic started for this release alone.
   */
  traffic?: Traffic;
  /** Follows the release while the scenario waits for it (the demo prints it with `release watch`). */
  follow?: (executionArn: string) => Promise<unknown>;
}

/** Share of answers and of errors over a span of time. */
export interface TrafficSpan {
  from: number;
  to: number;
  answers: number;
  /** Answers by the canary's image. */
  canaryAnswers: number;
  /** 5xx answers and failed connections, whoever served them. */
  errors: number;
  /** canaryAnswers / answers (0 without answers). */
  canaryShare: number;
  /** errors / answers (0 without answers). */
  errorRate: number;
}

export interface CanaryScenarioResult {
  /** The release's outcome: SUCCEEDED, ROLLED_BACK, … */
  outcome: string;
  executionArn: string;
  /** `demo/shop:<tag>`. */
  canaryImage: string;
  /** The images serving production before the push. */
  stableImages: string[];
  /** The analysis interval the catalog gives `shop`, nominal seconds. */
  intervalSeconds: number;
  /**
   * From the canary's first production answer to its last one: how long users
   * met the canary. Absent when the canary never met production traffic.
   */
  exposure?: TrafficSpan & {
    /** Real milliseconds. */
    ms: number;
    /** In nominal seconds (real time over the sandbox's time factor). */
    nominalSeconds: number;
    /** In analysis intervals. */
    intervals: number;
  };
  /** While both the canary and a stable image answered: the canary's traffic step(s). */
  step?: TrafficSpan;
  counts: TrafficCounts;
}

const isError = (answer: TrafficAnswer) => answer.status === 'error' || answer.status.startsWith('5');

/** The answers between `from` and `to` (epoch ms, inclusive), counted. */
export function trafficSpan(
  answers: readonly TrafficAnswer[],
  canaryImage: string,
  from: number,
  to: number,
): TrafficSpan {
  const within = answers.filter((answer) => answer.at >= from && answer.at <= to);
  const canaryAnswers = within.filter((answer) => answer.image === canaryImage).length;
  const errors = within.filter(isError).length;
  const share = (count: number) => (within.length === 0 ? 0 : count / within.length);
  return {
    from,
    to,
    answers: within.length,
    canaryAnswers,
    errors,
    canaryShare: share(canaryAnswers),
    errorRate: share(errors),
  };
}

/** The analysis interval of `shop` in the catalog the sandbox's functions read. */
export function canaryIntervalSeconds(environment: Readonly<Record<string, string | undefined>>): number {
  const catalog = loadCatalogFile(catalogFilePath(environment), environment);
  const target = Object.values(catalog.services[CANARY_SERVICE]?.environments ?? {})[0];
  const seconds = target?.analysis?.intervalSeconds;
  if (seconds === undefined) throw new Error(`the catalog gives ${CANARY_SERVICE} no analysis interval`);
  return seconds;
}

/**
 * Sends production traffic to `shop`, pushes `demo/shop:<tag>`, waits for the
 * release to end (and a moment more, for answers in flight) and returns the
 * outcome with what the traffic saw. `rs` must run the canary demo
 * (startReleaseSandbox with `canaryDemo: true`).
 */
export async function canaryScenario(
  rs: ReleaseSandbox,
  options: CanaryScenarioOptions,
): Promise<CanaryScenarioResult> {
  const { timeFactor } = rs.sandbox;
  const intervalSeconds = canaryIntervalSeconds(rs.sandbox.environment);
  const canaryImage = `${CANARY_REPOSITORY}:${options.tag}`;
  const shared = options.traffic;
  const traffic =
    shared ??
    startTraffic({
      url: rs.lbUrl(CANARY_SERVICE),
      ratePerSecond: options.trafficPerSecond,
      recordAnswers: true,
    });
  try {
    // Who serves production before the push: the stable revision(s).
    while ((traffic.counts().answers ?? []).length < 10) await sleep(50);
    const stableImages = Object.keys(traffic.counts().byImage);
    const { digest, executionArn } = await startRelease(rs.target, CANARY_REPOSITORY, options.tag);
    const timeoutMs = options.timeoutMs ?? 30 * 60_000 * timeFactor + 30_000;
    const [ended] = await Promise.all([
      waitForExecution(rs.target, executionArn, timeoutMs),
      options.follow?.(executionArn),
    ]);
    const outcome = await releaseOutcome(rs.target, ended, digest);
    await sleep(500);
    const counts = shared === undefined ? await traffic.stop() : traffic.counts();
    const answers = counts.answers ?? [];
    const first = counts.firstAnswerAt[canaryImage];
    const last = counts.lastAnswerAt[canaryImage];
    const result: CanaryScenarioResult = { outcome, executionArn, canaryImage, stableImages, intervalSeconds, counts };
    if (first === undefined || last === undefined) return result;
    const ms = last - first;
    const nominalSeconds = ms / 1000 / timeFactor;
    result.exposure = {
      ...trafficSpan(answers, canaryImage, first, last),
      ms,
      nominalSeconds,
      intervals: nominalSeconds / intervalSeconds,
    };
    const stableLast = Math.max(...stableImages.map((image) => counts.lastAnswerAt[image] ?? 0));
    if (stableLast > first) result.step = trafficSpan(answers, canaryImage, first, Math.min(last, stableLast));
    return result;
  } finally {
    if (shared === undefined) await traffic.stop();
  }
}
