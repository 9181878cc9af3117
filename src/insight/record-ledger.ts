import type { StoredRelease } from '../release/index.ts';
import { countExecution, type ReleaseCost, releaseCost } from './cost.ts';
import { type RotationEnding, releaseLedgerEvents, rotationLedgerEvent } from './ledger.ts';
import type { ExecutionHistory } from './ports/execution-history.ts';
import type { LedgerStore } from './ports/ledger.ts';

/** What appending a release's events needs: the ledger and, to price the release, its execution's history. */
export interface RecordLedgerPorts {
  ledger: LedgerStore;
  history?: ExecutionHistory;
  /** Configured Lambda memory and the billed duration assumed per invocation. */
  lambda?: { memoryMb: number; billedMs: number };
  /** Metrics each canary analysis requests (GetMetricData). */
  metricsPerAnalysis?: number;
}

/** How many of a release's events were written now, and how many a previous try had written. */
export interface LedgerAppendResult {
  written: number;
  existing: number;
  cost?: ReleaseCost;
}

/** The release's cost; undefined (and the ledger still written) when its history cannot be read. */
async function costOf(record: StoredRelease, ports: RecordLedgerPorts): Promise<ReleaseCost | undefined> {
  if (!ports.history) return undefined;
  let history: Awaited<ReturnType<ExecutionHistory['read']>>;
  try {
    history = await ports.history.read(record.executionId);
  } catch {
    return undefined;
  }
  return releaseCost(countExecution(history), {
    metricsPerAnalysis: ports.metricsPerAnalysis ?? 4,
    memoryMb: ports.lambda?.memoryMb ?? 256,
    billedMs: ports.lambda?.billedMs ?? 200,
  });
}

/**
 * Appends an ended release's events to the ledger. Safe to repeat: each event's
 * key comes from its fact, and a key written before is left as it is.
 */
export async function recordReleaseLedger(
  record: StoredRelease,
  ports: RecordLedgerPorts,
): Promise<LedgerAppendResult> {
  const cost = await costOf(record, ports);
  let written = 0;
  for (const event of releaseLedgerEvents(record, cost as Record<string, unknown> | undefined)) {
    if (await ports.ledger.append(event)) written += 1;
  }
  const total = releaseLedgerEvents(record).length;
  return { written, existing: total - written, ...(cost ? { cost } : {}) };
}

/** Appends a rotation's event (its first try's time stands): what rotate-notify is given. */
export function rotationRecorder(ledger: LedgerStore, now: () => Date = () => new Date()) {
  return (rotation: RotationEnding): Promise<boolean> =>
    ledger.append(rotationLedgerEvent(rotation, now().toISOString()));
}
