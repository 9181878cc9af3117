import { BAND_TEXT } from './bands.ts';
import { costPerMonth } from './cost.ts';
import { type DeliveryRecord, fourKeys, type TargetKeys } from './four-keys.ts';
import type { LedgerEvent } from './ledger.ts';

/** How long after a release a hotfix or rollback of its target makes it a failed change, unless the catalog says. */
export const DEFAULT_FAILURE_WINDOW_HOURS = 72;

/** What `release metrics` and `/release metrics` report. */
export interface MetricsReport {
  generatedAt: string;
  window: { days: number; failureWindowHours: number };
  targets: TargetKeys[];
  /** US dollars per calendar month (UTC), from the ledger's ended events. */
  costPerMonth: Record<string, number>;
  /** Releases whose cost the ledger holds (an execution of several targets priced once in costPerMonth). */
  pricedReleases: number;
  bands: typeof BAND_TEXT;
  source: { bands: string };
}

/** The four keys of every target in `records`, and the ledger's costs per month. */
export function metricsReport(
  records: DeliveryRecord[],
  ledger: LedgerEvent[],
  window: { days: number; failureWindowHours: number },
  now: Date,
): MetricsReport {
  const ended = ledger
    .filter((event) => event.kind === 'ended')
    .map((event) => ({
      at: event.at,
      ...(typeof event.detail.executionId === 'string' ? { executionId: event.detail.executionId } : {}),
      cost: event.detail.cost as { usd?: { total?: number } } | undefined,
    }));
  return {
    generatedAt: now.toISOString(),
    window,
    targets: fourKeys(records, window, now),
    costPerMonth: costPerMonth(ended),
    pricedReleases: ended.filter((event) => event.cost !== undefined).length,
    bands: BAND_TEXT,
    source: { bands: 'DORA, Accelerate State of DevOps Report 2023 (README, "The four keys")' },
  };
}

/** A duration as the four keys are read: seconds, minutes, hours or days; `–` when there is none. */
export const duration = (seconds: number | undefined): string => {
  if (seconds === undefined) return '–';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
};
const percent = (rate: number | undefined) => (rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`);

/** The report as lines of text: one block per target (the CLI's and Slack's answer). */
export function metricsText(report: MetricsReport): string[] {
  if (report.targets.length === 0) return [`No releases in the last ${report.window.days} days.`];
  const lines = report.targets.flatMap((keys) => [
    `${keys.service}/${keys.environment} (${report.window.days} d: ${keys.counts.deployments} deployments, ${keys.counts.succeeded} succeeded, ${keys.counts.failed} failed)`,
    `  deployment frequency  ${keys.deploymentFrequency.perDay}/day, ${keys.deploymentFrequency.deployDaysPerWeek} deploy days/week  [${keys.deploymentFrequency.band}]`,
    `  lead time             ${duration(keys.leadTime.medianSeconds)} median of ${keys.leadTime.samples} (from ${
      Object.entries(keys.leadTime.from)
        .map(([from, n]) => `${from} ×${n}`)
        .join(', ') || '–'
    })  [${keys.leadTime.band ?? '–'}]`,
    `  change failure rate   ${percent(keys.changeFailureRate.rate)} (${keys.changeFailureRate.failed} of ${keys.changeFailureRate.deployments})  [${keys.changeFailureRate.band ?? '–'}]`,
    `  recovery time         ${duration(keys.recoveryTime.medianSeconds)} median of ${keys.recoveryTime.samples}, ${keys.recoveryTime.unrecovered} not yet recovered  [${keys.recoveryTime.band ?? '–'}]`,
  ]);
  const months = Object.entries(report.costPerMonth);
  return [
    ...lines,
    months.length === 0
      ? 'cost: no priced releases yet'
      : `cost: ${months.map(([month, usd]) => `${month} $${usd.toFixed(4)}`).join(', ')} (${report.pricedReleases} releases)`,
  ];
}
