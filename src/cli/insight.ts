import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  DEFAULT_FAILURE_WINDOW_HOURS,
  type LedgerEvent,
  type LedgerStore,
  type MetricsReport,
  metricsReport,
  metricsText,
  releaseDeliveryRecords,
} from '../insight/index.ts';

import type { ReleaseStore } from '../release/index.ts';
import { UsageError } from './usage.ts';

export const metricsUsage = `Usage: release metrics [--service <service>] [--since 30d] [--json]

The four keys (DORA) per service and environment over the window, each beside
DORA's 2023 performance bands, with the counts they came from: deployment
frequency (and deploy days per week), lead time (and what it was measured
from), change failure rate (rolled back, aborted or failed releases, and those
a hotfix or rollback of the same target followed within the catalog's
insight.failureWindowHours), recovery time (failure to the next success).
Then the releases' cost per month, from the audit ledger.

  --service <service>   one service (all its environments)
  --since <n>d|<n>h|<ISO date>   the window (default 30d)
  --json                the report as JSON`;

export const auditUsage = `Usage: release audit [--service <service>] [--since 30d] [--format jsonl|csv]

Exports the audit ledger's immutable events, oldest first: requested, scanned,
approved/rejected (by whom), analysed (figures and verdict), deployed (digest and
task definition), ended (outcome, by whom or what, cost), rotated.

  --service <service>   one service
  --since <n>d|<n>h|<ISO date>   from when (default 30d)
  --format jsonl|csv    one JSON object a line (default), or CSV with a header`;

/** `30d`, `12h`, `2w` or an ISO date → the instant that far back from `now`. */
export function parseSince(value: string | undefined, now: Date): Date {
  const text = value ?? '30d';
  const relative = /^(\d+)([hdw])$/.exec(text);
  if (relative) {
    const hours = { h: 1, d: 24, w: 168 }[relative[2] as 'h' | 'd' | 'w'] * Number(relative[1]);
    if (hours <= 0) throw new UsageError('--since must be a positive span');
    return new Date(now.getTime() - hours * 3_600_000);
  }
  const absolute = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(absolute) && absolute < now.getTime()) return new Date(absolute);
  throw new UsageError(`--since takes <n>d, <n>h, <n>w or a past ISO date, got "${text}"`);
}

/** The catalog's insight.failureWindowHours, or the default when the file or the key is missing. */
export function failureWindowHours(catalogFile: string | undefined): number {
  if (!catalogFile) return DEFAULT_FAILURE_WINDOW_HOURS;
  try {
    const document = parse(readFileSync(catalogFile, 'utf8')) as { insight?: { failureWindowHours?: unknown } } | null;
    const hours = document?.insight?.failureWindowHours;
    return typeof hours === 'number' && hours > 0 ? hours : DEFAULT_FAILURE_WINDOW_HOURS;
  } catch {
    return DEFAULT_FAILURE_WINDOW_HOURS;
  }
}

/** The four keys and costs of the releases since `since`. */
export async function readMetrics(
  stores: { releases: ReleaseStore; ledger: LedgerStore },
  options: { service?: string; since: Date; now: Date; failureWindowHours: number },
): Promise<MetricsReport> {
  const since = options.since.toISOString();
  const service = options.service === undefined ? {} : { service: options.service };
  // A failure just before the window may be recovered in it; the records read reach back one failure window further.
  const readFrom = new Date(options.since.getTime() - options.failureWindowHours * 3_600_000).toISOString();
  const [records, ledger] = await Promise.all([
    releaseDeliveryRecords(stores.releases).list({ ...service, since: readFrom }),
    stores.ledger.list({ ...service, since }),
  ]);
  const days = (options.now.getTime() - options.since.getTime()) / 86_400_000;
  return metricsReport(
    records,
    ledger,
    { days: Math.round(days * 1000) / 1000, failureWindowHours: options.failureWindowHours },
    options.now,
  );
}

/** The report as `release metrics` prints it. */
export function formatMetrics(report: MetricsReport, json: boolean): string {
  return json ? JSON.stringify(report, null, 2) : metricsText(report).join('\n');
}

const CSV_COLUMNS = ['at', 'target', 'service', 'environment', 'releaseId', 'kind', 'by', 'key', 'detail'] as const;

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180), quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The events as JSON lines or CSV (detail as a JSON column). */
export function formatAudit(events: LedgerEvent[], format: string): string {
  if (format === 'jsonl') return events.map((event) => JSON.stringify(event)).join('\n');
  if (format !== 'csv') throw new UsageError(`--format takes jsonl or csv, got "${format}"`);
  const rows = events.map((event) =>
    CSV_COLUMNS.map((column) =>
      csvField(column === 'detail' ? JSON.stringify(event.detail) : String(event[column] ?? '')),
    ).join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\n');
}
