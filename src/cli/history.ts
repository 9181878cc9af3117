import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { listReleaseExecutions } from './executions.ts';
import type { Target } from './target.ts';

/**
 * Finds the execution behind a release: an execution ARN, an execution name,
 * or a release id (looked up in the release records).
 */
export async function resolveExecution(target: Target, release: string): Promise<string> {
  if (release.startsWith('arn:')) return release;
  const record = await target.releases.readRelease(release);
  if (record) return record.executionId;
  for await (const execution of listReleaseExecutions(target)) {
    if (execution.name === release && execution.executionArn) return execution.executionArn;
  }
  throw new Error(`no release or execution named "${release}" at ${target.description}`);
}

/** Every history event of an execution, oldest first. */
export async function readHistory(target: Target, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await target.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export function describeExecution(target: Target, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return target.sfn.send(new DescribeExecutionCommand({ executionArn }));
}

/** The state an event entered, if it is a *StateEntered event. */
export function enteredState(event: HistoryEvent): string | undefined {
  return event.type?.endsWith('StateEntered') ? event.stateEnteredEventDetails?.name : undefined;
}

/** The error of a failure event, as `Error: cause`. */
export function failureOf(event: HistoryEvent): string | undefined {
  const details =
    event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails ?? event.executionFailedEventDetails;
  if (!details || !event.type?.endsWith('Failed')) return undefined;
  return [details.error, readableCause(details.cause)].filter(Boolean).join(': ');
}

/** Lambda causes are JSON `{errorType, errorMessage}`; show the message. */
export function readableCause(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: shown as it is
  }
  return cause;
}

export interface TargetOutcome {
  releaseId?: string;
  outcome?: string;
  reason?: string;
  error?: { Error?: string; Cause?: string };
}

function parseOutcomes(output: string | undefined): TargetOutcome[] | undefined {
  if (!output) return undefined;
  try {
    const parsed = JSON.parse(output) as { releases?: unknown; refused?: unknown; refusedTargets?: unknown };
    if (typeof parsed.refused === 'string') return [{ outcome: 'REFUSED', reason: parsed.refused }];
    // Targets the push feeds whose service or container is missing: not released, never recorded.
    const refusedTargets = Array.isArray(parsed.refusedTargets)
      ? (parsed.refusedTargets as { service: string; environment: string; reason: string }[]).map(
          ({ service, environment, reason }): TargetOutcome => ({
            releaseId: `${service}/${environment}`,
            outcome: 'REFUSED',
            reason,
          }),
        )
      : [];
    if (Array.isArray(parsed.releases)) return [...(parsed.releases as TargetOutcome[]), ...refusedTargets];
  } catch {
    // an output that is not JSON has no outcomes to show
  }
  return undefined;
}

/**
 * The per-target outcomes of a finished execution: from its output, or, for a
 * failed execution (a Fail state has no output), from what the release state
 * machine's Summarize state passed on.
 */
export function outcomesOf(output: string | undefined, history: HistoryEvent[] = []): TargetOutcome[] {
  const summarized = history.findLast((event) => event.stateExitedEventDetails?.name === 'Summarize');
  return parseOutcomes(output) ?? parseOutcomes(summarized?.stateExitedEventDetails?.output) ?? [];
}
