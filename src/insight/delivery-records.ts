import type { ReleaseStore, StoredRelease } from '../release/index.ts';
import type { DeliveryRecord } from './four-keys.ts';
import type { DeliveryRecords } from './ports/delivery-records.ts';

// The most records one listing reads: the releases table's Scan reads them all
// and keeps the newest this many (release-list.ts).
const MAX_RECORDS = 10_000;

/** A release record as the four keys read it. */
export function deliveryRecordOf(record: StoredRelease): DeliveryRecord {
  return {
    releaseId: record.releaseId,
    service: record.service,
    environment: record.environment,
    trigger: { source: record.trigger.source, at: record.trigger.at },
    startedAt: record.startedAt,
    ...(record.endedAt ? { endedAt: record.endedAt } : {}),
    outcome: record.outcome,
    ...(record.hotfix ? { hotfix: true } : {}),
    ...(record.commitAt ? { commitAt: record.commitAt, commitAtFrom: record.commitAtFrom ?? 'commit' } : {}),
  };
}

/** The four keys' records from the releases table, through the release feature's store. */
export function releaseDeliveryRecords(store: ReleaseStore): DeliveryRecords {
  return {
    async list({ service, since }) {
      const records = await store.listReleases({ limit: MAX_RECORDS, ...(service ? { service } : {}) });
      return records
        .filter((record) => record.startedAt >= since || (record.endedAt ?? '') >= since)
        .map(deliveryRecordOf);
    },
  };
}
