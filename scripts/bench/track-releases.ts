// Follows many releases at once with one poller: ListExecutions gives every
// execution's status and stop date, so the measuring side adds about one
// request per poll to the sandbox (one per page of 100), whatever the number
// of releases (the sandbox shares this process and its event loop with the bench).
import { executionSearch } from '../../src/cli/executions.ts';
import type { Target } from '../../src/cli/target.ts';
import { sleep } from '../../src/platform/index.ts';

export interface TrackedRelease {
  digest: string;
  executionArn: string;
  status: string;
  stopDate: Date;
}

const POLL_MS = 100;

/** Waits until the release of each digest, started at `since` or later, has ended; throws after `timeoutMs`. */
export async function trackReleases(target: Target, digests: readonly string[], since: number, timeoutMs = 120_000) {
  const digestIn = (input: string) => digests.find((digest) => input.includes(digest));
  const search = executionSearch(target, { since, matches: (input) => digestIn(input) !== undefined });
  const ended = new Map<string, TrackedRelease>();
  const until = Date.now() + timeoutMs;
  while (ended.size < digests.length) {
    if (Date.now() > until)
      throw new Error(`${digests.length - ended.size} releases still running after ${timeoutMs} ms`);
    for (const { executionArn, input, status, stopDate } of await search()) {
      const digest = digestIn(input);
      if (digest && status !== 'RUNNING' && stopDate && !ended.has(digest)) {
        ended.set(digest, { digest, executionArn, status: status ?? '', stopDate });
      }
    }
    await sleep(POLL_MS);
  }
  return digests.map((digest) => {
    const release = ended.get(digest);
    if (!release) throw new Error(`no release of ${digest}`);
    return release;
  });
}
