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

/** One target's four keys as the panel shows them: each figure as text with its DORA band. */
export interface KeysRow {
  service: string;
  environment: string;
  deployments: number;
  deploymentFrequency: string;
  leadTime: string;
  changeFailureRate: string;
  timeToRestore: string;
}

/** The four keys (DORA) per target over the last `days`, or why there are none. */
export type FourKeys = { available: false; reason: string } | { available: true; days: number; targets: KeysRow[] };

/** Everything the dashboard reads. */
export interface DashboardSource {
  /** The newest release records, newest first. */
  listReleases(limit: number): Promise<StoredRelease[]>;
  readRelease(releaseId: string): Promise<StoredRelease | undefined>;
  /** The states of the execution behind a release; undefined when it cannot be read. */
  readStates(executionId: string): Promise<ExecutionStates | undefined>;
  listAlarms(): Promise<AlarmRow[]>;
  fourKeys(): Promise<FourKeys>;
}

/** The four keys when none can be computed: says so, never a made-up figure. */
export const fourKeysNotAvailable = (reason: string) => async (): Promise<FourKeys> => ({ available: false, reason });
