// Follows many releases at once with one poller: a ListExecutions page gives
// every execution's status and stop date, so the measuring side adds about
// one request per poll to the sandbox, whatever the number of releases (the
// sandbox shares this process and its event loop with the bench).
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { releaseStateMachineArn, type Target } from '../../src/cli/target.ts';

export interface TrackedRelease {
  digest: string;
  executionArn: string;
  status: string;
  stopDate: Date;
}

const POLL_MS = 100;

/** Waits until the release of each digest, started at `since` or later, has ended; throws after `timeoutMs`. */
export async function trackReleases(target: Target, digests: readonly string[], since: number, timeoutMs = 120_000) {
  const stateMachineArn = await releaseStateMachineArn(target);
  const digestOf = new Map<string, string | undefined>();
  const ended = new Map<string, TrackedRelease>();
  const until = Date.now() + timeoutMs;
  while (ended.size < digests.length) {
    if (Date.now() > until)
      throw new Error(`${digests.length - ended.size} releases still running after ${timeoutMs} ms`);
    const { executions = [] } = await target.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 100 }));
    for (const { executionArn, status, startDate, stopDate } of executions) {
      if (!executionArn || (startDate?.getTime() ?? 0) < since) continue;
      if (!digestOf.has(executionArn)) {
        const { input = '' } = await target.sfn.send(new DescribeExecutionCommand({ executionArn }));
        digestOf.set(
          executionArn,
          digests.find((digest) => input.includes(digest)),
        );
      }
      const digest = digestOf.get(executionArn);
      if (digest && status !== 'RUNNING' && stopDate && !ended.has(digest)) {
        ended.set(digest, { digest, executionArn, status: status ?? '', stopDate });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return digests.map((digest) => {
    const release = ended.get(digest);
    if (!release) throw new Error(`no release of ${digest}`);
    return release;
  });
}
