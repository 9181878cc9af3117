import type { StoredRelease } from '../../release/index.ts';

// What the dashboard reads, in its own terms: the release records, the states
// an execution went through, the alarms and the four keys. The sandbox and
// `release dashboard --aws` give the same adapters different clients.

/** A state an execution entered, and when (ISO 8601). */
export interface StateEntry {
  name: string;
  enteredAt: string;
}

/** An execution's states, oldest first, and when it stopped (absent while it runs). */
export interface ExecutionStates {
  status: string;
  states: StateEntry[];
  stoppedAt?: string;
}

/** One CloudWatch alarm as DescribeAlarms gives it. */
export interface AlarmRow {
  name: string;
  /** OK, ALARM or INSUFFICIENT_DATA. */
  state: string;
  reason?: string;
  updatedAt?: string;
}

/** The four keys (DORA) over some period, or why there are none. */
export type FourKeys =
  | { available: false; reason: string }
  | {
      available: true;
      period: string;
      deploymentFrequency: string;
      leadTime: string;
      changeFailureRate: string;
      timeToRestore: string;
    };

/** Everything the dashboard reads. */
export interface DashboardSource {
  /** The newest release records, newest first. */
  listReleases(limit: number): Promise<StoredRelease[]>;
  readRelease(releaseId: string): Promise<StoredRelease | undefined>;
  /** The states of the execution behind a release; undefined when it cannot be read. */
  readStates(executionId: string): Promise<ExecutionStates | undefined>;
  listAlarms(): Promise<AlarmRow[]>;
  fourKeys(releases: readonly StoredRelease[]): Promise<FourKeys>;
}

/** The four keys' port until a computation is wired: says so, never a made-up figure. */
export const fourKeysNotAvailable = async (): Promise<FourKeys> => ({
  available: false,
  reason: 'the four keys are not computed yet: no ledger feature is wired to this dashboard',
});
