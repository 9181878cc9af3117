import type { StepInput, StepOutput } from '../platform/step.ts';
import { describeCaughtError } from './caught-error.ts';
import type { ReleaseStore, StoredRelease } from './ports/release-store.ts';
import type { ReleaseOutcome } from './record.ts';
import { releaseRecordFor, targetKey } from './record.ts';
import type { finishStep } from './steps.ts';

/** What `finish` is given by the release state machine. */
export type FinishInput = StepInput<typeof finishStep>;

/** What `finish` returns into the state machine. */
export type FinishResult = StepOutput<typeof finishStep>;

/** What finishing needs: the store and a clock. */
export interface FinishDeps {
  store: ReleaseStore;
  now: () => Date;
  /** Told of every release that ends: the figures delivery metrics are made of (awaited if it returns a promise). */
  observe?: (ended: EndedRelease) => unknown;
  /**
   * Given the ended release's record, on every try (a retry after a lost answer
   * too): appends its events to the audit ledger, which keeps the first of each.
   */
  ledger?: (record: StoredRelease) => Promise<unknown>;
  /** When the released change was made, as its image says (lead time); undefined when it says nothing. */
  changeTime?: (image: { repository: string; digest: string }) => Promise<{ at: string; from: string } | undefined>;
}

/** A release that has just ended, for metrics: lead time runs from the push to now. */
export interface EndedRelease {
  service: string;
  environment: string;
  outcome: ReleaseOutcome;
  leadTimeSeconds: number;
  /** From the release's start (its record) to its end. */
  durationSeconds: number;
}

/** The release's record belongs to another execution of the same release; nothing was written. */
export class ReleaseNotOwnedError extends Error {
  override readonly name = 'ReleaseNotOwnedError';
}

/**
 * Records how a release ended and lets go of its target. Safe to repeat: a
 * retried finish writes the same outcome, keeps the first end time and is not
 * observed again.
 */
export async function finishRelease(input: FinishInput, deps: FinishDeps): Promise<FinishResult> {
  const { request, executionId, outcome, deployment, error, analysis } = input;
  const now = deps.now().toISOString();
  const reason = input.reason ?? (error ? describeCaughtError(error) : undefined);
  const changed = await deps.changeTime?.({ repository: request.image.repository, digest: request.image.digest });
  const ended = await deps.store.endRelease(releaseRecordFor(request, executionId, now), {
    ...(changed ? { commitAt: changed.at, commitAtFrom: changed.from } : {}),
    outcome,
    endedAt: now,
    ...(reason === undefined ? {} : { reason }),
    ...(analysis === undefined ? {} : { analysis }),
    ...(deployment
      ? {
          previousTaskDefinitionArn: deployment.previousTaskDefinitionArn,
          taskDefinitionArn: deployment.taskDefinitionArn,
          serviceDeploymentArn: deployment.serviceDeploymentArn,
        }
      : {}),
  });
  // Letting go of the lock here would free the target under the execution that owns it.
  if (ended === 'NOT_OWNED')
    throw new ReleaseNotOwnedError(`release ${request.releaseId} belongs to another execution than ${executionId}`);
  // Told once, by the finish that ended the release, before anything else can
  // fail: a retried finish (its first answer lost) is not a second release.
  const record = deps.ledger || deps.observe ? await deps.store.readRelease(request.releaseId) : undefined;
  if (ended === 'ENDED')
    await deps.observe?.({
      service: request.target.service,
      environment: request.target.environment,
      outcome,
      leadTimeSeconds: Math.max(0, (Date.parse(now) - Date.parse(request.trigger.at)) / 1000),
      durationSeconds: Math.max(0, (Date.parse(now) - Date.parse(record?.startedAt ?? now)) / 1000),
    });
  if (record && deps.ledger) await deps.ledger(record);
  await deps.store.releaseLock(targetKey(request.target), request.releaseId, executionId);
  return { releaseId: request.releaseId, outcome, ...(reason === undefined ? {} : { reason }) };
}
