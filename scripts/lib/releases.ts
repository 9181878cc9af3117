// Releases driven the way `npx release push` drives them (pushImage, then
// findReleaseExecution), waited for through the Step Functions API, and what
// a load balancer serves afterwards.
import { request } from 'node:http';
import { executionSearch } from '../../src/cli/executions.ts';
import { describeExecution, outcomesOf } from '../../src/cli/history.ts';
import { findReleaseExecution, pushImage } from '../../src/cli/push.ts';
import { readStatus } from '../../src/cli/status.ts';
import type { Target } from '../../src/cli/target.ts';
import { sleep } from '../../src/platform/index.ts';

/** One ended execution of the release state machine. */
export interface EndedExecution {
  executionArn: string;
  status: string;
  /** Per target: SUCCEEDED, ROLLED_BACK, DUPLICATE, NOOP, … (empty if the execution has no output). */
  outcomes: { releaseId?: string; outcome?: string; reason?: string }[];
  startDate?: Date;
  stopDate?: Date;
}

/** A push and the release it started. */
export interface PushedRelease extends EndedExecution {
  digest: string;
}

/** Polls an execution until it has ended; throws after `timeoutMs`. */
export async function waitForExecution(target: Target, executionArn: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const described = await describeExecution(target, executionArn);
    if (described.status !== 'RUNNING') {
      return {
        executionArn,
        status: described.status ?? 'UNKNOWN',
        outcomes: outcomesOf(described.output),
        startDate: described.startDate,
        stopDate: described.stopDate,
      } satisfies EndedExecution;
    }
    if (Date.now() > until) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * Waits until the next whole second. EventBridge stamps events to the second,
 * and the claim step orders pushes of one target by that stamp: of two pushes
 * within one second, either may win, and the newer one can end SUPERSEDED by
 * the older (a known bug). Drivers that push one target
 * again soon after a release wait for the next second first.
 */
export async function untilNextSecond(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + 5);
}

/**
 * A release's outcome: from the execution's output (DUPLICATE, NOOP and
 * SUCCEEDED end a succeeded execution), else from its release record, as
 * `release status` shows it (a failed execution has no output, in AWS too).
 */
export async function releaseOutcome(target: Target, execution: EndedExecution, digest: string): Promise<string> {
  const fromOutput = execution.outcomes[0]?.outcome;
  if (fromOutput) return fromOutput;
  const records = await readStatus(target, { limit: 100 });
  return records.find((record) => record.digest === digest)?.outcome ?? execution.status;
}

/** Pushes `repository:tag` as the CLI does (with these OCI annotations) and returns the release it started, without waiting for it. */
export async function startRelease(
  target: Target,
  repository: string,
  tag: string,
  annotations: Record<string, string> = {},
) {
  const pushedAt = new Date();
  const digest = await pushImage(target, repository, tag, undefined, annotations);
  const executionArn = await findReleaseExecution(target, { tag, digest, pushedAt });
  if (!executionArn) throw new Error(`the push of ${repository}:${tag} started no release`);
  return { digest, executionArn };
}

/** Pushes `repository:tag` as the CLI does and waits until the release it started has ended. */
export async function releaseImage(target: Target, repository: string, tag: string): Promise<PushedRelease> {
  const { digest, executionArn } = await startRelease(target, repository, tag);
  return { digest, ...(await waitForExecution(target, executionArn)) };
}

/** One HTTP answer: the status and the image the demo app says it runs (`x-demo-image`, e.g. `demo/web:v2`). */
export interface Answer {
  status: number;
  image: string;
}

/** GETs `url` `count` times, one after the other, each on a new connection (so every target gets its turn). */
export async function probe(url: string, count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(await get(url));
  return answers;
}

function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        const image = res.headers['x-demo-image'];
        resolve({ status: res.statusCode ?? 0, image: typeof image === 'string' ? image : '' });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** `demo/web:v2` → `v2`. */
export const tagOf = (image: string) => image.slice(image.lastIndexOf(':') + 1);

/**
 * Waits until `count` executions of the release state machine have an input
 * containing `needle` (an event id, a digest); returns their ARNs, oldest first.
 */
export async function executionsWith(target: Target, needle: string, count: number, timeoutMs = 15_000) {
  const search = executionSearch(target, { matches: (input) => input.includes(needle) });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const matching = (await search()).map(({ executionArn }) => executionArn);
    if (matching.length >= count) return matching.reverse();
    if (Date.now() > until) throw new Error(`${matching.length} of ${count} executions for ${needle} started in time`);
    await sleep(100);
  }
}
