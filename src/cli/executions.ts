import { DescribeExecutionCommand, type ExecutionListItem, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { releaseStateMachineArn, type Target } from './target.ts';

/** An execution whose input matched, with that input. */
export interface MatchedExecution extends ExecutionListItem {
  executionArn: string;
  input: string;
}

/**
 * The release state machine's executions, newest first (the order ListExecutions
 * gives), every page of them. With `since` (epoch ms) the listing stops at the
 * first execution started before it: all that follow are older still.
 */
export async function* listReleaseExecutions(
  target: Target,
  options: { stateMachineArn?: string; since?: number } = {},
): AsyncGenerator<ExecutionListItem> {
  const stateMachineArn = options.stateMachineArn ?? (await releaseStateMachineArn(target));
  let nextToken: string | undefined;
  do {
    const page = await target.sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken }));
    for (const execution of page.executions ?? []) {
      if (options.since !== undefined && (execution.startDate?.getTime() ?? 0) < options.since) return;
      yield execution;
    }
    nextToken = page.nextToken;
  } while (nextToken);
}

/**
 * A search for the release executions whose input `matches` (a push, an event
 * id, a digest): each call lists them afresh, newest first, and describes only
 * executions it has not seen before, so polling with one search costs one
 * DescribeExecution per new execution.
 */
export function executionSearch(
  target: Target,
  options: { matches: (input: string) => boolean; since?: number },
): () => Promise<MatchedExecution[]> {
  let stateMachineArn: string | undefined;
  // Per execution seen: its input if it matched, undefined if it did not.
  const seen = new Map<string, string | undefined>();
  return async () => {
    stateMachineArn ??= await releaseStateMachineArn(target);
    const found: MatchedExecution[] = [];
    for await (const execution of listReleaseExecutions(target, { stateMachineArn, since: options.since })) {
      const { executionArn } = execution;
      if (!executionArn) continue;
      if (!seen.has(executionArn)) {
        const { input = '' } = await target.sfn.send(new DescribeExecutionCommand({ executionArn }));
        seen.set(executionArn, options.matches(input) ? input : undefined);
      }
      const input = seen.get(executionArn);
      if (input !== undefined) found.push({ ...execution, executionArn, input });
    }
    return found;
  };
}
