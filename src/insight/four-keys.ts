import { type Band, changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, recoveryTimeBand } from './bands.ts';

// The four keys (DORA) of each target, computed from the product's own release
// records: nothing is guessed from timing alone. A release is a deployment when
// it changed (or tried to change) the service; it failed when it was rolled
// back, aborted, failed or abandoned, or when a hotfix or rollback of the same
// target (recorded as such: `/release deploy --hotfix`, `/release rollback`)
// followed it within the failure window. Recovery runs from a failure to the
// next successful release of the target.

/** What the four keys read of a release record (a StoredRelease has all of it). */
export interface DeliveryRecord {
  releaseId: string;
  service: string;
  environment: string;
  trigger: { source: string; at: string };
  startedAt: string;
  endedAt?: string;
  outcome: string;
  hotfix?: boolean;
  /** The commit's time, when the release knows it (a GitHub release's commit, an image's OCI labels). */
  commitAt?: string;
  /** Where commitAt came from, e.g. `oci-label:org.opencontainers.image.created`. */
  commitAtFrom?: string;
}

/** The window the keys are computed over: [since, until). */
export interface KeysWindow {
  since: Date;
  until: Date;
  /** How long after a release a hotfix or rollback of its target counts it failed (hours). */
  failureWindowHours: number;
}

const DEPLOYED = new Set(['SUCCEEDED', 'ROLLED_BACK', 'ROLLBACK_FAILED', 'FAILED', 'ABANDONED']);
const FAILED = new Set(['ROLLED_BACK', 'ROLLBACK_FAILED', 'FAILED', 'ABANDONED']);

/** A failed deployment, why, and what recovered from it. */
export interface FailureLink {
  releaseId: string;
  /** `outcome:ROLLED_BACK`, or `remediated-by:<releaseId>` for a hotfix or rollback that followed it. */
  why: string;
  failedAt: string;
  recoveredBy?: string;
  recoveryTimeSeconds?: number;
}

/** The four keys of one target (service and environment). */
export interface TargetKeys {
  service: string;
  environment: string;
  window: { since: string; until: string; days: number };
  counts: {
    /** Releases ended in the window (any outcome). */
    releases: number;
    /** Of them, deployments (changed or tried to change the service). */
    deployments: number;
    succeeded: number;
    failed: number;
    /** Failures recovered from by a later success. */
    recovered: number;
  };
  deploymentFrequency: { perDay: number; perWeek: number; deployDays: number; deployDaysPerWeek: number; band: Band };
  /** Median over successful deployments, and where each start came from. */
  leadTime: { medianSeconds?: number; samples: number; from: Record<string, number>; band?: Band };
  changeFailureRate: { rate?: number; failed: number; deployments: number; band?: Band; failures: FailureLink[] };
  recoveryTime: { medianSeconds?: number; samples: number; unrecovered: number; band?: Band };
}

const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
const ended = (record: DeliveryRecord) => record.endedAt ?? record.startedAt;

/** The median of a list (undefined when empty). */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The start a release's lead time runs from, and what it is. */
export function leadTimeStart(record: DeliveryRecord): { at: string; from: string } {
  if (record.commitAt) return { at: record.commitAt, from: record.commitAtFrom ?? 'commit' };
  return { at: record.trigger.at, from: `${record.trigger.source}-time` };
}

/** The four keys of one target's records over `window` (records of other targets are ignored by fourKeys' grouping). */
export function targetKeys(records: DeliveryRecord[], window: KeysWindow): TargetKeys {
  const first = records[0];
  const since = window.since.toISOString();
  const until = window.until.toISOString();
  const days = Math.max((window.until.getTime() - window.since.getTime()) / 86_400_000, 1 / 24);
  // Oldest first, ended ones only: a running release has no outcome yet.
  const all = records.filter((r) => r.outcome !== 'RUNNING').sort((a, b) => ended(a).localeCompare(ended(b)));
  const inWindow = all.filter((r) => ended(r) >= since && ended(r) < until);
  const deployments = inWindow.filter((r) => DEPLOYED.has(r.outcome));
  const succeeded = deployments.filter((r) => r.outcome === 'SUCCEEDED');

  const failures: FailureLink[] = [];
  for (const record of deployments) {
    let why: string | undefined = FAILED.has(record.outcome) ? `outcome:${record.outcome}` : undefined;
    if (!why) {
      // The next deployment of the target, if a hotfix or rollback within the window, remediated this one.
      const next = all.find((r) => DEPLOYED.has(r.outcome) && ended(r) > ended(record));
      const limit = Date.parse(ended(record)) + window.failureWindowHours * 3_600_000;
      if (next?.hotfix && Date.parse(next.startedAt) <= limit) why = `remediated-by:${next.releaseId}`;
    }
    if (!why) continue;
    const failedAt = ended(record);
    const recovery = all.find(
      (r) => r.outcome === 'SUCCEEDED' && ended(r) > failedAt && r.releaseId !== record.releaseId,
    );
    failures.push({
      releaseId: record.releaseId,
      why,
      failedAt,
      ...(recovery ? { recoveredBy: recovery.releaseId, recoveryTimeSeconds: seconds(failedAt, ended(recovery)) } : {}),
    });
  }

  const leadTimes = succeeded.map((r) => ({ ...leadTimeStart(r), seconds: seconds(leadTimeStart(r).at, ended(r)) }));
  const from: Record<string, number> = {};
  for (const lead of leadTimes) from[lead.from] = (from[lead.from] ?? 0) + 1;
  const leadMedian = median(leadTimes.map((lead) => lead.seconds));
  const recoveries = failures.flatMap((f) => (f.recoveryTimeSeconds === undefined ? [] : [f.recoveryTimeSeconds]));
  const recoveryMedian = median(recoveries);
  const rate = deployments.length === 0 ? undefined : failures.length / deployments.length;
  const deployDays = new Set(succeeded.map((r) => ended(r).slice(0, 10))).size;
  const perDay = succeeded.length / days;
  return {
    service: first?.service ?? '',
    environment: first?.environment ?? '',
    window: { since, until, days: round(days) },
    counts: {
      releases: inWindow.length,
      deployments: deployments.length,
      succeeded: succeeded.length,
      failed: failures.length,
      recovered: recoveries.length,
    },
    deploymentFrequency: {
      perDay: round(perDay),
      perWeek: round(perDay * 7),
      deployDays,
      deployDaysPerWeek: round(Math.min(deployDays, days) / (days / 7)),
      band: deploymentFrequencyBand(perDay),
    },
    leadTime: {
      ...(leadMedian === undefined ? {} : { medianSeconds: round(leadMedian), band: leadTimeBand(leadMedian) }),
      samples: leadTimes.length,
      from,
    },
    changeFailureRate: {
      ...(rate === undefined ? {} : { rate: round(rate), band: changeFailureRateBand(rate) }),
      failed: failures.length,
      deployments: deployments.length,
      failures,
    },
    recoveryTime: {
      ...(recoveryMedian === undefined
        ? {}
        : { medianSeconds: round(recoveryMedian), band: recoveryTimeBand(recoveryMedian) }),
      samples: recoveries.length,
      unrecovered: failures.length - recoveries.length,
    },
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The four keys per service and environment over the `days` before `now`,
 * targets in name order. Pure: the dashboard and the CLI feed it records read
 * through the DeliveryRecords port.
 */
export function fourKeys(
  records: DeliveryRecord[],
  window: { days: number; failureWindowHours: number },
  now: Date,
): TargetKeys[] {
  const byTarget = new Map<string, DeliveryRecord[]>();
  for (const record of records) {
    const key = `${record.service}#${record.environment}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), record]);
  }
  const since = new Date(now.getTime() - window.days * 86_400_000);
  return [...byTarget.keys()]
    .sort()
    .map((key) =>
      targetKeys(byTarget.get(key) ?? [], { since, until: now, failureWindowHours: window.failureWindowHours }),
    );
}
