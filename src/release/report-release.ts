import type { Notifier } from '../platform/notifier.ts';
import { keptAnalysisOf } from './kept-analyses.ts';
import type { NotifyInput } from './messages.ts';
import { type NotifyResult, notifyRelease } from './notify.ts';
import type { ReleaseStore } from './ports/release-store.ts';

// CheckRollout's notice (watchRollout's, notify's before) follows every analysis with the analysis
// whole, so it both posts the analysis and keeps its figures on the release
// record. Like Slack, the record must never fail or stall a release: a write
// that fails is reported, not thrown.

/** What notify does with a release event: the chat's answer, and why an analysis was not kept (if it was not). */
export interface ReleaseReport {
  notice: NotifyResult;
  notKept?: string;
}

/** What reporting a release event uses. */
export interface ReleaseReportPorts {
  notifier: Notifier;
  releases: ReleaseStore;
}

/** Posts the event and, for an analysis, keeps its figures on the release record; never rejects. */
export async function reportRelease(
  input: NotifyInput,
  { notifier, releases }: ReleaseReportPorts,
): Promise<ReleaseReport> {
  const [notice, notKept] = await Promise.all([
    notifyRelease(input, notifier),
    input.event === 'analysis' ? keepAnalysis(input, releases) : undefined,
  ]);
  return notKept === undefined ? { notice } : { notice, notKept };
}

/** Keeps the input's analysis on its record: undefined when kept, else why not. */
async function keepAnalysis(input: NotifyInput, releases: ReleaseStore): Promise<string | undefined> {
  const { analysis, executionId } = input;
  if (analysis?.window === undefined || executionId === undefined) return 'the analysis names no window or execution';
  try {
    const kept = await releases.recordAnalysis(
      input.request.releaseId,
      executionId,
      keptAnalysisOf({ ...analysis, window: analysis.window }),
    );
    return kept ? undefined : `release ${input.request.releaseId} has no record of execution ${executionId}`;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
