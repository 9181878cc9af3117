import type { KeptAnalysis } from '../kept-analyses.ts';
import type { AnalysisSummary, ReleaseOutcome, ReleaseRecord } from '../record.ts';
import type { ControlRequest } from '../rollout-state.ts';

/** A release record as stored: the contract's record, its index key and the deployment it started. */
export interface StoredRelease extends ReleaseRecord {
  /** `service#environment`: the partition key of the `byTarget` index. */
  target: string;
  serviceDeploymentArn?: string;
}

/** Which releases `listReleases` reads: at most `limit` (a positive whole number), of a service, environment or both. */
export interface ReleaseFilter {
  limit: number;
  service?: string;
  environment?: string;
}

/** How a release ended: the fields `endRelease` writes. */
export interface ReleaseEnding {
  outcome: ReleaseOutcome;
  endedAt: string;
  reason?: string;
  previousTaskDefinitionArn?: string;
  taskDefinitionArn?: string;
  serviceDeploymentArn?: string;
  analysis?: AnalysisSummary;
  /** When the change was made, as the image's annotations say (lead time), and which one. */
  commitAt?: string;
  commitAtFrom?: string;
}

/** The newest push recorded for a target; only it may take the lock next. */
export interface WaitingRelease {
  releaseId: string;
  tag: string;
  /** When it was pushed, as the trigger said (ISO 8601). */
  at: string;
  /** Sort key of the push (its instant to the millisecond, then digest and releaseId): the newest has the greatest string. */
  order: string;
}

/** The release running on a target, until `expiresAt` (ISO 8601) if it never lets go. */
export interface LockHolder {
  releaseId: string;
  executionId: string;
  tag: string;
  expiresAt: string;
}

/** The lock item of one target (`service#environment`). */
export interface TargetLock {
  lockKey: string;
  holder?: LockHolder;
  latest?: WaitingRelease;
}

/** A request to hold a target's lock, made at `now` by the push whose sort key is `order`. */
export interface LockLease extends LockHolder {
  order: string;
  now: string;
}

/** What `endRelease` did: wrote the first ending, wrote it again (a retry), or nothing (another execution's record). */
export type EndReleaseResult = 'ENDED' | 'ALREADY_ENDED' | 'NOT_OWNED';

/** What `createRelease` found: a new record, or the one already stored under that releaseId. */
export type CreateReleaseResult = { created: true } | { created: false; existing: StoredRelease };

/** What `requestControl` did: stored the request, found no release of the target running, or found one asked already. */
export type ControlResult = 'ACCEPTED' | 'NO_RUNNING_RELEASE' | 'ALREADY_REQUESTED';

/** Release records and per-target locks; every decision is a conditional write, never a read-then-write. */
export interface ReleaseStore {
  /** Stores the record unless one with its releaseId exists, which is then returned. */
  createRelease(record: StoredRelease): Promise<CreateReleaseResult>;
  /** Reads a release's record (strongly consistent); undefined when none was stored. */
  readRelease(releaseId: string): Promise<StoredRelease | undefined>;
  /** The newest records matching the filter, newest first (by startedAt), at most `filter.limit` of them. */
  listReleases(filter: ReleaseFilter): Promise<StoredRelease[]>;
  /** Every record the execution `executionId` created, whatever started it, each read strongly consistent, by releaseId. */
  listExecutionReleases(executionId: string): Promise<StoredRelease[]>;
  /**
   * Adds an analysis to the record of `releaseId` if `executionId` wrote it, keeping the newest
   * (kept-analyses.ts); an analysis of a window kept already is not added twice. False when the
   * record is missing or another execution's.
   */
  recordAnalysis(releaseId: string, executionId: string, analysis: KeptAnalysis): Promise<boolean>;
  /** Writes how this execution's release ended (storing `record` first if it was never stored); the first end time stands. */
  endRelease(record: StoredRelease, ending: ReleaseEnding): Promise<EndReleaseResult>;
  /** Records `waiting` as the target's newest push unless a newer one (other than the one of order `replacing`) is recorded; true when recorded. */
  registerWaiting(lockKey: string, waiting: WaitingRelease, replacing?: string): Promise<boolean>;
  /** Takes the lock if it is free, expired or already this release's, and `lease.order` is the newest push; true when held. */
  acquireLock(lockKey: string, lease: LockLease): Promise<boolean>;
  /** Reads the lock item (strongly consistent); undefined when the target was never locked. */
  readLock(lockKey: string): Promise<TargetLock | undefined>;
  /** Lets go of the lock if this release and execution hold it; false when they did not. */
  releaseLock(lockKey: string, releaseId: string, executionId: string): Promise<boolean>;
  /** Moves the lease of this release and execution to `expiresAt`; false when they no longer hold the lock. */
  renewLock(lockKey: string, releaseId: string, executionId: string, expiresAt: string): Promise<boolean>;
  /**
   * Stores a promote or abort on the lock while `request.releaseId` holds it
   * (unexpired at `request.requestedAt`), and on its record; one request per
   * release, except that an abort may follow a promote.
   */
  requestControl(lockKey: string, request: ControlRequest): Promise<ControlResult>;
  /** The promote or abort asked of this release, if any (strongly consistent). */
  readControl(lockKey: string, releaseId: string): Promise<ControlRequest | undefined>;
}
