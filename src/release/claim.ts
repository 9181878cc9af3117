import { smokeCheckBudgetSeconds } from '../catalog/index.ts';
import { LockWaitTimeoutError } from '../platform/errors.ts';
import type { StepInput } from '../platform/step.ts';
import type { LockHolder, ReleaseStore, StoredRelease, WaitingRelease } from './ports/release-store.ts';
import { isAheadOfClock, pushInstant } from './push-order.ts';
import { releaseRecordFor, targetKey, waitingReleaseFor } from './record.ts';
import type { ClaimResult, ReleaseRequest, ReleaseTarget } from './release.ts';
import type { claimStep } from './steps.ts';

/** What `claim` is given by the release state machine. */
export type ClaimInput = StepInput<typeof claimStep>;

/** What claiming needs: the store and a clock. */
export interface ClaimDeps {
  store: ReleaseStore;
  now: () => Date;
}

// Margin on top of the worst case, for the Wait states and Lambda retries in between.
const LEASE_MARGIN_SECONDS = 900;

/**
 * How long a release may hold its target before others may take it: a
 * deployment and its rollback each up to the stability deadline, every smoke
 * check's whole budget (summed: an upper bound even if they ran one by one),
 * and a margin. Only a release that died without finishing is outlived. A
 * canary, linear or blue/green release lasts as long as its bakes, its
 * analyses' waits for data and a person's answer: no lease fixed now
 * can cover that, so it renews this lease at each look at its rollout
 * (CheckRollout, a minute apart at most: see watchNative and checkStability),
 * and a dead one still frees its target one lease after its last look. A lease renewed just before an
 * inconclusive canary asks a person covers that question's whole wait.
 */
export function lockLeaseSeconds(
  target: Pick<ReleaseTarget, 'stabilityDeadlineSeconds' | 'smoke' | 'approval' | 'analysis'>,
): number {
  const smoke = target.smoke.reduce((total, check) => total + smokeCheckBudgetSeconds(check), 0);
  // A release waiting for its approval holds the target all that time.
  const approval = target.approval?.timeoutSeconds ?? 0;
  const ask = target.analysis?.onNoData === 'ask' ? target.analysis.askTimeoutSeconds : 0;
  return 2 * target.stabilityDeadlineSeconds + smoke + approval + ask + LEASE_MARGIN_SECONDS;
}

/**
 * Decides whether this execution may release its target now. One event makes
 * one release (DUPLICATE); a running release is never interrupted (BUSY); of
 * the pushes waiting for it, only the newest proceeds (SUPERSEDED).
 */
export async function claimRelease(input: ClaimInput, deps: ClaimDeps): Promise<ClaimResult> {
  const { request, executionId } = input;
  const { store } = deps;
  const now = deps.now();
  const startedAt = now.toISOString();
  const running = releaseRecordFor(request, executionId, startedAt);
  const record: StoredRelease = request.noop
    ? { ...running, outcome: 'NOOP', reason: request.noop, endedAt: startedAt }
    : running;

  const stored = await store.createRelease(record);
  if (!stored.created) {
    if (stored.existing.executionId !== executionId) {
      return {
        status: 'DUPLICATE',
        reason: `release ${request.releaseId} is already handled by execution ${stored.existing.executionId}`,
      };
    }
    if (stored.existing.outcome !== 'RUNNING') return alreadyEnded(stored.existing);
  }
  if (request.noop) return { status: 'NOOP', reason: request.noop };

  const lockKey = targetKey(request.target);
  const waiting = waitingReleaseFor(request);
  const registered = await store.registerWaiting(lockKey, waiting);
  if (!registered) await displaceImpossibleLatest(lockKey, waiting, request, deps, now);
  const expiresAt = new Date(now.getTime() + lockLeaseSeconds(request.target) * 1000).toISOString();
  const acquired = await store.acquireLock(lockKey, {
    releaseId: request.releaseId,
    executionId,
    tag: request.image.tag,
    expiresAt,
    order: waiting.order,
    now: now.toISOString(),
  });
  if (acquired) {
    return {
      status: 'ACQUIRED',
      reason: `${lockKey} is locked for this release until ${expiresAt}`,
      leaseSeconds: lockLeaseSeconds(request.target),
    };
  }

  const lock = await store.readLock(lockKey);
  const newest = lock?.latest;
  if (newest && newest.order !== waiting.order) {
    const reason = supersededReason(newest);
    await store.endRelease(record, { outcome: 'SUPERSEDED', endedAt: now.toISOString(), reason });
    // A retried claim whose first answer (ACQUIRED) was lost may still hold the
    // target; nothing was deployed yet, so hand it on to the newer push.
    if (lock?.holder?.releaseId === request.releaseId && lock.holder.executionId === executionId) {
      await store.releaseLock(lockKey, request.releaseId, executionId);
    }
    return { status: 'SUPERSEDED', reason };
  }
  const holder = lock?.holder;
  if (now.getTime() > Date.parse(request.lockWaitDeadline)) {
    throw new LockWaitTimeoutError(
      `gave up waiting for ${lockKey} at ${request.lockWaitDeadline}: ${describeHolder(holder)} still holds it`,
    );
  }
  return {
    status: 'BUSY',
    reason: `${lockKey} is held by ${describeHolder(holder)}; waiting until ${request.lockWaitDeadline}`,
    ...(holder ? { heldBy: holder.releaseId } : {}),
  };
}

/**
 * A push recorded as newer than this one that cannot be: it is dated ahead of
 * the clock (recorded before plan refused such dates), or its release ended
 * before this push was made. Left in place it would supersede every push
 * after it; this push takes its place instead.
 */
async function displaceImpossibleLatest(
  lockKey: string,
  waiting: WaitingRelease,
  request: ReleaseRequest,
  deps: ClaimDeps,
  now: Date,
): Promise<void> {
  const latest = (await deps.store.readLock(lockKey))?.latest;
  if (!latest || latest.order <= waiting.order) return;
  let impossible = isAheadOfClock(latest.at, now);
  if (!impossible) {
    const endedAt = (await deps.store.readRelease(latest.releaseId))?.endedAt;
    impossible = endedAt !== undefined && Date.parse(pushInstant(request)) > Date.parse(endedAt);
  }
  if (impossible) await deps.store.registerWaiting(lockKey, waiting, latest.order);
}

function supersededReason(newest: WaitingRelease): string {
  return `superseded by ${newest.tag} (${newest.releaseId}) pushed at ${newest.at}`;
}

function describeHolder(holder: LockHolder | undefined): string {
  // No holder means it let go between the attempt and the read: the next Claim takes the lock.
  if (!holder) return 'a release that has just ended';
  return `${holder.tag} (${holder.releaseId}, lease until ${holder.expiresAt})`;
}

// This execution claimed before (a retried or repeated Claim) and its release already ended.
function alreadyEnded(record: StoredRelease): ClaimResult {
  const ended = `release ${record.releaseId} already ended as ${record.outcome}`;
  if (record.outcome === 'SUPERSEDED' || record.outcome === 'NOOP')
    return { status: record.outcome, reason: record.reason ?? ended };
  return { status: 'DUPLICATE', reason: record.reason ? `${ended}: ${record.reason}` : ended };
}
