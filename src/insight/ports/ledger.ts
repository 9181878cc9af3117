import type { LedgerEvent } from '../ledger.ts';

/** Which events `list` reads: of a service (all its environments) or all, ended at or after `since`. */
export interface LedgerFilter {
  service?: string;
  environment?: string;
  since: string;
}

/** The append-only audit ledger: an event is written once under its key and never changed. */
export interface LedgerStore {
  /** Writes the event unless one with its key exists; true when written, false when it was there already (a retry). */
  append(event: LedgerEvent): Promise<boolean>;
  /** The events matching the filter, oldest first (by `at`, then key). */
  list(filter: LedgerFilter): Promise<LedgerEvent[]>;
}
