import type { Catalog } from '../catalog/index.ts';
import type { Notifier } from '../platform/notifier.ts';
import { composeAbandonedAlert } from './messages.ts';
import { postOrExplain } from './notify.ts';
import type { ReleaseStore, StoredRelease } from './ports/release-store.ts';
import { targetKey } from './record.ts';
import type { ReleaseTarget } from './release.ts';
import { releaseTargetFor } from './targets.ts';

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
  error?: string;
  cause?: string;
}

/** What abandoning reads and writes. */
export interface AbandonDeps {
  catalog: Catalog;
  store: ReleaseStore;
  notifier: Notifier;
  now: () => Date;
  /**
   * Closes the release's approval if it is still pending (its buttons would
   * otherwise stay, answering nothing): the approvals feature's `withdrawApproval`.
   * Safe to repeat; a failure is reported, never in the way of the unlock.
   */
  withdrawApproval?: (releaseId: string, reason: string) => Promise<void>;
  /** Given each abandoned release's record, on every try: appends its events to the audit ledger (finish.ts). */
  ledger?: (record: StoredRelease) => Promise<unknown>;
}

/** One release the stopped execution left running. */
export interface AbandonedRelease {
  releaseId: string;
  /** It held its target: a deployment may have been started and never verified nor rolled back. */
  heldTarget: boolean;
  /** Whether the alert reached chat (only for releases that held their target). */
  alerted?: boolean;
  alertError?: string;
  /** Why its pending approval could not be withdrawn, when it could not. */
  withdrawError?: string;
}

/** What `abandon` returns: the releases it ended, in releaseId order. */
export interface AbandonResult {
  executionArn: string;
  abandoned: AbandonedRelease[];
}

/**
 * Ends, as ABANDONED with why, every release the stopped execution still had
 * running, and lets go of the targets it held, so that the next release does
 * not wait out a lease. The releases are the records the execution created
 * (found by its ARN), so every trigger is covered alike (an ECR push, a GitHub
 * release, `/release deploy`, `rollback`, a hotfix, any added later) and the
 * execution's input is never needed (Step Functions leaves out one too large).
 * A release that held its target may have left an ECS deployment that nobody
 * verified or rolled back: that is a loud alert in the target's channel, never
 * silence. Releases the execution finished itself are left as they are. A
 * retry of the same event finishes what an earlier try did not get to, and
 * does nothing more.
 */
export async function abandonReleases(stopped: StoppedExecution, deps: AbandonDeps): Promise<AbandonResult> {
  const reason = stoppedReason(stopped);
  const abandoned: AbandonedRelease[] = [];
  for (const record of await deps.store.listExecutionReleases(stopped.executionArn)) {
    const { releaseId } = record;
    // Ended by this stop on an earlier try of the same event (the reason is
    // the same each time): what that try did not get to is done now.
    const endedNow = record.outcome === 'RUNNING';
    if (!endedNow && record.reason !== reason) continue;
    if (endedNow) {
      await deps.store.endRelease(record, { outcome: 'ABANDONED', endedAt: deps.now().toISOString(), reason });
    }
    const withdrawn = await withdraw(deps, releaseId, reason);
    if (deps.ledger) {
      const ended = await deps.store.readRelease(releaseId);
      if (ended) await deps.ledger(ended);
    }
    const lockKey = targetKey(record);
    const holder = (await deps.store.readLock(lockKey))?.holder;
    if (holder?.releaseId !== releaseId || holder.executionId !== stopped.executionArn) {
      if (endedNow) abandoned.push({ releaseId, heldTarget: false, ...withdrawn });
      continue;
    }
    // Alert before unlocking: a try that fails in between alerts again rather than never.
    const target = catalogTarget(deps.catalog, record);
    const sent = target
      ? await postOrExplain(deps.notifier, {
          channel: target.slackChannel,
          ...composeAbandonedAlert({ record, target, reason }),
        })
      : { reason: `${record.service}/${record.environment} is no longer in the service catalog: no channel to alert` };
    await deps.store.releaseLock(lockKey, releaseId, stopped.executionArn);
    abandoned.push({
      releaseId,
      heldTarget: true,
      ...('reason' in sent ? { alerted: false, alertError: sent.reason } : { alerted: true }),
      ...withdrawn,
    });
  }
  return { executionArn: stopped.executionArn, abandoned };
}

/** The record's target as the catalog names it now; undefined when the catalog no longer lists it. */
function catalogTarget(catalog: Catalog, record: { service: string; environment: string }): ReleaseTarget | undefined {
  const services = catalog.services;
  if (!Object.hasOwn(services, record.service)) return undefined;
  const environments = services[record.service]?.environments;
  if (!environments || !Object.hasOwn(environments, record.environment)) return undefined;
  const config = environments[record.environment];
  return config ? releaseTargetFor(record.service, record.environment, config) : undefined;
}

async function withdraw(deps: AbandonDeps, releaseId: string, reason: string): Promise<{ withdrawError?: string }> {
  if (deps.withdrawApproval === undefined) return {};
  try {
    await deps.withdrawApproval(releaseId, reason);
    return {};
  } catch (error) {
    return { withdrawError: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function stoppedReason(stopped: StoppedExecution): string {
  const name = stopped.executionArn.split(':').at(-1) ?? stopped.executionArn;
  const why = [stopped.error, stopped.cause].filter((part) => part !== undefined && part !== '').join(': ');
  return `execution ${name} ${stopped.status} at ${stopped.stoppedAt} before the release finished${why ? ` (${why})` : ''}`;
}
