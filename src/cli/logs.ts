import type { StoredRelease } from '../release/index.ts';
import { formatAnalysisFigures } from './analysis-figures.ts';
import { formatDuration } from './format.ts';
import { describeExecution, failureOf, readHistory, resolveExecution } from './history.ts';
import type { Target } from './target.ts';

export const logsUsage = `Usage: release logs <release>

Prints what started a release (given by its id) and its execution history: every
event with its time, the state it belongs to, the functions' results and every
error with its cause; then the canary analyses its release record keeps, one
line each (time, verdict, decision, errors canary vs baseline with counts,
latency medians, the statistic).`;

const MAX_DETAIL = 400;

const clip = (text: string) => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text);

export async function printLogs(target: Target, release: string, print: (line: string) => void = console.log) {
  const executionArn = await resolveExecution(target, release);
  const execution = await describeExecution(target, executionArn);
  const startedAt = execution.startDate?.getTime() ?? 0;
  print(`release ${execution.name}: ${execution.status}`);
  // What started it: a push's event, the push reconciler (its event lost), a GitHub release, Slack.
  const record = release.startsWith('arn:') ? undefined : await target.releases.readRelease(release);
  if (record) print(`trigger ${record.trigger.source} (${record.trigger.eventId}, ${record.trigger.at})`);
  let state = '';
  for (const event of await readHistory(target, executionArn)) {
    state = event.stateEnteredEventDetails?.name ?? state;
    const at = formatDuration((event.timestamp?.getTime() ?? startedAt) - startedAt).padStart(8);
    const result =
      event.stateExitedEventDetails?.output ??
      event.lambdaFunctionSucceededEventDetails?.output ??
      event.executionSucceededEventDetails?.output;
    const failure = failureOf(event);
    const detail = failure ? `! ${failure}` : result ? clip(result) : '';
    print(`${at}  ${(event.type ?? '').padEnd(28)} ${state.padEnd(20)} ${detail}`.trimEnd());
  }
  for (const line of await keptAnalysisLines(target, executionArn)) print(line);
}

// The analyses the execution's release records keep; the history above stands without them.
async function keptAnalysisLines(target: Target, executionArn: string): Promise<string[]> {
  let records: StoredRelease[];
  try {
    records = await target.releases.listExecutionReleases(executionArn);
  } catch (error) {
    return [`analyses: the release records could not be read (${error instanceof Error ? error.name : 'error'})`];
  }
  return records.flatMap((record) => {
    const analyses = record.analyses ?? [];
    if (analyses.length === 0) return [];
    const recorded = record.analysesRecorded ?? analyses.length;
    const count = recorded > analyses.length ? `the newest ${analyses.length} of ${recorded}` : `${analyses.length}`;
    return [`analyses of ${record.releaseId} (${count}):`, ...analyses.map((a) => `  ${formatAnalysisFigures(a)}`)];
  });
}
