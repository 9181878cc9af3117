import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { sleep } from '../platform/index.ts';
import { formatAnalysisFigures, hasFigures } from './analysis-figures.ts';
import { analysisOf, formatAnalysis, readTrafficSplit, serviceDeploymentArnIn } from './canary-progress.ts';
import { formatDuration } from './format.ts';
import {
  describeExecution,
  enteredState,
  failureOf,
  outcomesOf,
  readableCause,
  readHistory,
  resolveExecution,
} from './history.ts';
import type { Target } from './target.ts';

export const watchUsage = `Usage: release watch <release> [--timeout <seconds>]

Follows a release (a release id from "release status", an execution name or ARN):
prints each state as it is entered with the time since the release started,
errors as they happen, and the outcome; for a canary, linear or blue/green
release also the production traffic split as it changes and each analysis's
verdict and reason, then its figures on one line (time, verdict, decision,
errors canary vs baseline with counts, latency medians, the statistic). Exits 0 if the release succeeded, 1 if not.
  --timeout <seconds>   stop watching after this long (default 3600)`;

const firstLine = (text: string) => text.split('\n', 1)[0] ?? text;

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

/** Prints a release's progress until it ends; resolves to its status. */
export async function watchRelease(
  target: Target,
  release: string,
  options: { timeoutSeconds: number; pollMs?: number; print?: (line: string) => void; kind?: 'release' | 'rotation' },
): Promise<string> {
  const print = options.print ?? console.log;
  const executionArn = await resolveExecution(target, release);
  const started = await describeExecution(target, executionArn);
  const startedAt = started.startDate?.getTime() ?? Date.now();
  print(`${options.kind ?? 'release'} ${started.name} (${executionArn})`);
  const shown = new Set<number>();
  let split: string | undefined;
  const until = Date.now() + options.timeoutSeconds * 1000;
  const elapsedAt = (time: number) => formatDuration(time - startedAt).padStart(8);
  const show = (event: HistoryEvent) => {
    if (event.id === undefined || shown.has(event.id)) return;
    shown.add(event.id);
    const elapsed = elapsedAt(event.timestamp?.getTime() ?? Date.now());
    const state = enteredState(event);
    if (state) print(`${elapsed}  ${state}`);
    const failure = failureOf(event);
    if (failure) print(`${elapsed}    ! ${failure}`);
    const analysis = analysisOf(event);
    if (analysis) print(`${elapsed}    ${formatAnalysis(analysis)}`);
    if (analysis && hasFigures(analysis)) print(`${elapsed}      ${formatAnalysisFigures(analysis)}`);
  };
  // Native deployments only: a rolling one reports no weights, and nothing is printed.
  const showSplit = async (history: HistoryEvent[]) => {
    const deployment = serviceDeploymentArnIn(history);
    const now = deployment ? await readTrafficSplit(target, deployment) : undefined;
    if (now === undefined || now === split) return;
    split = now;
    print(`${elapsedAt(Date.now())}    traffic ${now}`);
  };
  for (;;) {
    const [history, execution] = await Promise.all([
      readHistory(target, executionArn),
      describeExecution(target, executionArn),
    ]);
    history.forEach(show);
    const status = execution.status ?? 'UNKNOWN';
    if (!TERMINAL.has(status)) await showSplit(history);
    if (TERMINAL.has(status)) {
      const took = formatDuration((execution.stopDate?.getTime() ?? Date.now()) - startedAt);
      print(`${status} in ${took}`);
      for (const { releaseId, outcome, reason, error } of outcomesOf(execution.output, history)) {
        const why = reason ?? readableCause(error?.Cause) ?? error?.Error;
        print(`  ${releaseId ?? ''} ${outcome ?? ''}${why ? `: ${firstLine(why)}` : ''}`.trimEnd());
      }
      return status;
    }
    if (Date.now() > until) {
      print(`still ${status} after ${options.timeoutSeconds}s; stopped watching`);
      return status;
    }
    await sleep(options.pollMs ?? 500);
  }
}
