// The insight feature's entry: the audit ledger's events, the four keys (DORA)
// and the cost of a release, as pure functions over records read through its
// ports. No SDK. Outside src/insight/, code imports it only through this file
// and ./wiring.ts. The dashboard feeds `fourKeys` the records a DeliveryRecords
// port reads.

export type { Band } from './bands.ts';
export {
  BAND_TEXT,
  changeFailureRateBand,
  deploymentFrequencyBand,
  leadTimeBand,
  recoveryTimeBand,
} from './bands.ts';
export type { ChangeTime } from './change-time.ts';
export { changeTimeOf, readChangeTime } from './change-time.ts';
export type { ExecutionCounts, HistoryEventLike, ReleaseCost } from './cost.ts';
export { costPerMonth, countExecution, PRICES, releaseCost } from './cost.ts';
export { deliveryRecordOf, releaseDeliveryRecords } from './delivery-records.ts';
export type { DeliveryRecord, FailureLink, KeysWindow, TargetKeys } from './four-keys.ts';
export { fourKeys, leadTimeStart, median, targetKeys } from './four-keys.ts';
export type { LedgerEvent, LedgerKind, RotationEnding } from './ledger.ts';
export { LEDGER_KINDS, ledgerKey, releaseLedgerEvents, rotationLedgerEvent } from './ledger.ts';
export type { MetricsReport } from './metrics-report.ts';
export { DEFAULT_FAILURE_WINDOW_HOURS, duration, metricsReport, metricsText } from './metrics-report.ts';
export type { DeliveryRecords } from './ports/delivery-records.ts';
export type { ExecutionHistory } from './ports/execution-history.ts';
export type { ImageAnnotations } from './ports/image-annotations.ts';
export type { LedgerFilter, LedgerStore } from './ports/ledger.ts';
export type { LedgerAppendResult, RecordLedgerPorts } from './record-ledger.ts';
export { recordReleaseLedger, rotationRecorder } from './record-ledger.ts';
