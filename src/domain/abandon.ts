import type { Catalog } from '../catalog/schema.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { ReleaseStore } from '../ports/release-store.ts';
import { composeAbandonedAlert } from './notification.ts';
import { postOrExplain } from './notify.ts';
import type { ImagePush } from './plan.ts';
import { releaseIdFor, targetKey } from './release-record.ts';
import { findTargets } from './targets.ts';

/**
 * A release execution that ended without running its own last states: a
 * person stopped it (ABORTED), it ran out of time (TIMED_OUT), or it failed
 * where no Catch could see it (FAILED). What EventBridge's "Step Functions
 * Execution Status Change" event says of it.
 */
export interface StoppedExecution {
  executionArn: string;
  status: 'ABORTED' | 'TIMED_OUT' | 'FAILED';
  /** When it stopped (ISO 8601). */
  stoppedAt: string;
  /** The execution's input: the push that started it, when it parses as one. */
  push?: ImagePush;
  error?: string;
  cause?: string;
}

/** What abandoning reads and writes. */
export interface AbandonDeps {
  catalog: Catalog;
  store: ReleaseStore;
  notifier: Notifier;
  now: () => Date;
}

/** One release the stopped execution left running. */
export interface AbandonedRelease {
  releaseId: string;
  /** It held its target: a deployment may have been started and never verified nor rolled back. */
  heldTarget: boolean;
  /** Whether the alert reached chat (only for releases that held their target). */
  alerted?: boolean;
  alertError?: string;
}

/** What `abandon` returns: the releases it ended, in catalog order. */
export interface AbandonResult {
  executionArn: string;
  abandoned: AbandonedRelease[];
}

/**
 * Ends, as FAILED, every release the stopped execution still had running, and
 * lets go of the targets it held, so that the next push does not wait out a
 * lease. A release that held its target may have left an ECS deployment that
 * nobody verified or rolled back: that is a loud alert in the target's
 * channel, never silence. Releases the execution finished itself, and those
 * another execution owns, are left as they are. A retry of the same event
 * finishes what an earlier try did not get to, and does nothing more.
 */
export async function abandonReleases(stopped: StoppedExecution, deps: AbandonDeps): Promise<AbandonResult> {
  const { push } = stopped;
  if (push?.tag === undefined) return { executionArn: stopped.executionArn, abandoned: [] };
  const { targets } = findTargets(deps.catalog, push.repository, push.tag);
  const reason = stoppedReason(stopped);
  const abandoned: AbandonedRelease[] = [];
  for (const target of targets) {
    const releaseId = releaseIdFor(target, push.eventId);
    const record = await deps.store.readRelease(releaseId);
    if (record?.executionId !== stopped.executionArn) continue;
    // Ended by this stop on an earlier try of the same event (the reason is
    // the same each time): what that try did not get to is done now.
    const endedNow = record.outcome === 'RUNNING';
    if (!endedNow && record.reason !== reason) continue;
    if (endedNow) await deps.store.endRelease(record, { outcome: 'FAILED', endedAt: deps.now().toISOString(), reason });
    const lockKey = targetKey(record);
    const holder = (await deps.store.readLock(lockKey))?.holder;
    if (holder?.releaseId !== releaseId || holder.executionId !== stopped.executionArn) {
      if (endedNow) abandoned.push({ releaseId, heldTarget: false });
      continue;
    }
    // Alert before unlocking: a try that fails in between alerts again rather than never.
    const sent = await postOrExplain(deps.notifier, {
      channel: target.slackChannel,
      ...composeAbandonedAlert({ record, target, reason }),
    });
    await deps.store.releaseLock(lockKey, releaseId, stopped.executionArn);
    abandoned.push({
      releaseId,
      heldTarget: true,
      ...('reason' in sent ? { alerted: false, alertError: sent.reason } : { alerted: true }),
    });
  }
  return { executionArn: stopped.executionArn, abandoned };
}

function stoppedReason(stopped: StoppedExecution): string {
  const name = stopped.executionArn.split(':').at(-1) ?? stopped.executionArn;
  const why = [stopped.error, stopped.cause].filter((part) => part !== undefined && part !== '').join(': ');
  return `execution ${name} ${stopped.status} at ${stopped.stoppedAt} before the release finished${why ? ` (${why})` : ''}`;
}
