import type { StoredRelease } from '../release/index.ts';
import type { ExecutionStates } from './ports/source.ts';

// The dashboard's view models: what each JSON endpoint answers, built from
// release records and execution states by pure functions. Only the fields
// named here leave the server: a record's other fields (the trigger's facts,
// approvals' Slack ids) are not shown, so nothing is exposed by accident.

/** A release as the timeline shows it. */
export interface ReleaseRow {
  id: string;
  service: string;
  environment: string;
  image: string;
  outcome: string;
  reason?: string;
  startedAt: string;
  endedAt?: string;
  durationMs: number;
  analyses: number;
}

/** The releases of one service in one environment, newest first. */
export interface TimelineLane {
  service: string;
  environment: string;
  releases: ReleaseRow[];
}

/** A state the release went through and how long it lasted (so far, for the current one). */
export interface StateRow {
  name: string;
  enteredAt: string;
  durationMs: number;
  current: boolean;
}

/** A state's time in total: a polling loop enters the same states again and again. */
export interface StateTotal {
  name: string;
  /** How many times the state was entered. */
  entries: number;
  durationMs: number;
  current: boolean;
}

/** One analysis: its number (1 = first kept), when its window ended, its verdict and why. */
export interface AnalysisRow {
  n: number;
  at: string;
  verdict: string;
  decision: string;
  reason: string;
  productionWeight?: number;
}

/** A release in detail. */
export interface ReleaseDetail extends ReleaseRow {
  digest: string;
  executionStatus?: string;
  states: StateRow[];
  /** The states by name in the order first entered, each with its entries and its total time. */
  stateTotals: StateTotal[];
  analyses: number;
  analysisRows: AnalysisRow[];
  /** How many analyses were recorded, dropped ones included. */
  analysesRecorded: number;
}

/** Canary vs baseline per analysis interval (a minute with the catalog's default interval), for the charts. */
export interface CanarySeries {
  /** Each window's end, epoch seconds. */
  times: number[];
  errorRate: { canary: (number | null)[]; baseline: (number | null)[] };
  latencyMs: { canary: (number | null)[]; baseline: (number | null)[] };
  verdicts: AnalysisRow[];
}

const durationBetween = (from: string, to: string | number) =>
  Math.max(0, (typeof to === 'number' ? to : Date.parse(to)) - Date.parse(from));

export function releaseRow(record: StoredRelease, now: number): ReleaseRow {
  return {
    id: record.releaseId,
    service: record.service,
    environment: record.environment,
    image: `${record.repository}:${record.tag}`,
    outcome: record.outcome,
    ...(record.reason === undefined ? {} : { reason: record.reason }),
    startedAt: record.startedAt,
    ...(record.endedAt === undefined ? {} : { endedAt: record.endedAt }),
    durationMs: durationBetween(record.startedAt, record.endedAt ?? now),
    analyses: record.analyses?.length ?? 0,
  };
}

/** Releases grouped by service and environment, lanes sorted by name, each lane newest first. */
export function timeline(records: readonly StoredRelease[], now: number): TimelineLane[] {
  const lanes = new Map<string, TimelineLane>();
  for (const record of records) {
    const key = `${record.service}\u0000${record.environment}`;
    const lane = lanes.get(key) ?? { service: record.service, environment: record.environment, releases: [] };
    lane.releases.push(releaseRow(record, now));
    lanes.set(key, lane);
  }
  for (const lane of lanes.values()) lane.releases.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return [...lanes.values()].sort(
    (a, b) => a.service.localeCompare(b.service) || a.environment.localeCompare(b.environment),
  );
}

/** Each state with its duration: until the next state, the execution's stop, or now. */
export function stateRows(execution: ExecutionStates | undefined, now: number): StateRow[] {
  if (!execution) return [];
  const { states, stoppedAt } = execution;
  return states.map((state, index) => {
    const next = states[index + 1];
    const current = next === undefined && stoppedAt === undefined;
    return {
      name: state.name,
      enteredAt: state.enteredAt,
      durationMs: durationBetween(state.enteredAt, next?.enteredAt ?? stoppedAt ?? now),
      current,
    };
  });
}

/** The states by name, in the order first entered: how often and how long in all. */
export function stateTotals(rows: readonly StateRow[]): StateTotal[] {
  const totals = new Map<string, StateTotal>();
  for (const row of rows) {
    const total = totals.get(row.name) ?? { name: row.name, entries: 0, durationMs: 0, current: false };
    total.entries += 1;
    total.durationMs += row.durationMs;
    total.current ||= row.current;
    totals.set(row.name, total);
  }
  return [...totals.values()];
}

export function analysisRows(record: StoredRelease): AnalysisRow[] {
  return (record.analyses ?? []).map((analysis, index) => ({
    n: index + 1,
    at: analysis.window.end,
    verdict: analysis.verdict,
    decision: analysis.decision,
    reason: analysis.reason,
    ...(analysis.productionWeight === undefined ? {} : { productionWeight: analysis.productionWeight }),
  }));
}

export function releaseDetail(
  record: StoredRelease,
  execution: ExecutionStates | undefined,
  now: number,
): ReleaseDetail {
  const states = stateRows(execution, now);
  return {
    ...releaseRow(record, now),
    digest: record.digest,
    ...(execution ? { executionStatus: execution.status } : {}),
    states,
    stateTotals: stateTotals(states),
    analysisRows: analysisRows(record),
    analysesRecorded: record.analysesRecorded ?? record.analyses?.length ?? 0,
  };
}

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

// A side of a metric's figures (canary-check's shape, read defensively: the judgement owns it).
function side(metrics: readonly Fields[], name: string, which: 'canary' | 'baseline'): Fields | undefined {
  const metric = metrics.find((candidate) => candidate.metric === name);
  const value = metric?.[which];
  return isFields(value) ? value : undefined;
}

function errorRatePercent(fields: Fields | undefined): number | null {
  if (!fields) return null;
  const rate = finite(fields.rate);
  if (rate !== null) return rate * 100;
  const requests = finite(fields.requests);
  const errors = finite(fields.errors);
  if (requests === null || errors === null) return null;
  return requests === 0 ? 0 : (errors / requests) * 100;
}

// TargetResponseTime is in seconds: the newest period's value (one a minute with
// the default interval), or the window's median for records kept before it was.
function latencyMs(fields: Fields | undefined): number | null {
  const value = finite(fields?.latest) ?? finite(fields?.median);
  return value === null ? null : value * 1000;
}

// Each analysis's counts are over its window, which grows from its step's start:
// the interval's own rate is the difference from the analysis before it in the
// same window (same start); the first of a window is its own interval.
function intervalErrorRate(current: Fields | undefined, previous: Fields | undefined): number | null {
  const requests = finite(current?.requests);
  const errors = finite(current?.errors);
  const before = { requests: finite(previous?.requests), errors: finite(previous?.errors) };
  if (requests === null || errors === null || before.requests === null || before.errors === null) {
    return errorRatePercent(current);
  }
  const added = requests - before.requests;
  const failed = errors - before.errors;
  if (added < 0 || failed < 0) return errorRatePercent(current);
  return added === 0 ? null : (failed / added) * 100;
}

/**
 * The analyses' figures as chart series, oldest first, each point the interval
 * since the analysis before (a minute with the catalog's default interval):
 * error rates from the differences of the windows' counts, latency the newest
 * period's value.
 */
export function canarySeries(record: StoredRelease): CanarySeries {
  const analyses = record.analyses ?? [];
  const metricsOf = (index: number) => (analyses[index]?.metrics ?? []) as Fields[];
  const sameWindow = (index: number) =>
    index > 0 && analyses[index - 1]?.window.start === analyses[index]?.window.start;
  const series = (read: (metrics: Fields[]) => number | null) => analyses.map((_, index) => read(metricsOf(index)));
  const errorRates = (which: 'canary' | 'baseline') =>
    analyses.map((_, index) =>
      intervalErrorRate(
        side(metricsOf(index), 'error-rate', which),
        sameWindow(index) ? side(metricsOf(index - 1), 'error-rate', which) : undefined,
      ),
    );
  return {
    times: analyses.map((analysis) => Math.round(Date.parse(analysis.window.end) / 1000)),
    errorRate: { canary: errorRates('canary'), baseline: errorRates('baseline') },
    latencyMs: {
      canary: series((metrics) => latencyMs(side(metrics, 'latency', 'canary'))),
      baseline: series((metrics) => latencyMs(side(metrics, 'latency', 'baseline'))),
    },
    verdicts: analysisRows(record),
  };
}
