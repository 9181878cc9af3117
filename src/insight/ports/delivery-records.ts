import type { DeliveryRecord } from '../four-keys.ts';

/** Where the four keys' records come from: the releases table, or a test's list. */
export interface DeliveryRecords {
  /** Every ended or running release of the service (all when undefined) started at or after `since` (ISO 8601). */
  list(filter: { service?: string; since: string }): Promise<DeliveryRecord[]>;
}
