import type { CanaryMetrics, CanaryMetricsQuery, MetricsPort, RequestCounts } from '../../src/canary/index.ts';
import type { Minute, TrialTraffic } from './traffic.ts';

// The MetricsPort over a simulated release: the same shape the CloudWatch adapter
// returns (counts summed over the window, with the periods that had requests;
// TargetResponseTime per period), read from the trial's minutes. Minute 0 is the
// release's start; a window before it reads the stable revision serving all of
// production.

/** Where the lab's minute 0 is on the clock. */
export const RELEASE_START = new Date('2026-01-01T00:00:00Z');

export const CANARY_TARGET_GROUP = 'targetgroup/lab-canary/0000000000000001';
export const BASELINE_TARGET_GROUP = 'targetgroup/lab-baseline/0000000000000002';

/**
 * A custom metric the lab also serves (any namespace): each period's 5xx rate,
 * for judges (Kayenta's) that compare per-period series rather than counts.
 */
export const ERROR_RATE_METRIC = 'LabErrorRate';

const MINUTE_MS = 60_000;

/** The minute of the release a time falls in (negative: before it). */
export const minuteAt = (time: Date): number => Math.floor((time.getTime() - RELEASE_START.getTime()) / MINUTE_MS);

/** The time at a minute of the release. */
export const timeAt = (minute: number): Date => new Date(RELEASE_START.getTime() + minute * MINUTE_MS);

/** Reads a simulated release's metrics as the CloudWatch adapter would. */
export class SimulatedMetrics implements MetricsPort {
  readonly #traffic: TrialTraffic;

  constructor(traffic: TrialTraffic) {
    this.#traffic = traffic;
  }

  async readCanaryMetrics(query: CanaryMetricsQuery): Promise<CanaryMetrics> {
    if (query.periodSeconds !== 60) throw new Error(`the lab serves 60 s periods, not ${query.periodSeconds}`);
    const sideOf = (targetGroup: string) => (targetGroup === query.targetGroups.canary ? 'canary' : 'baseline');
    const canary = this.#minutes(sideOf(query.targetGroups.canary), query.start, query.end);
    const baselineWindow = query.baselineWindow ?? { start: query.start, end: query.end };
    const baseline = this.#minutes(sideOf(query.targetGroups.baseline), baselineWindow.start, baselineWindow.end);
    const history = query.historyWindow;
    return {
      counts: { canary: counts(canary), baseline: counts(baseline) },
      latency: { canary: latencies(canary), baseline: latencies(baseline) },
      ...(history === undefined
        ? {}
        : {
            latencyHistory: latencies(this.#minutes(sideOf(query.targetGroups.baseline), history.start, history.end)),
          }),
      custom: query.custom.map((metric) => ({
        name: metric.name,
        canary: metric.metricName === ERROR_RATE_METRIC ? errorRates(canary) : [],
        baseline: metric.metricName === ERROR_RATE_METRIC ? errorRates(baseline) : [],
      })),
    };
  }

  // The whole minutes in [start, end): a datapoint is published for a period once it is complete.
  #minutes(side: 'canary' | 'baseline', start: Date, end: Date): Minute[] {
    const first = Math.ceil((start.getTime() - RELEASE_START.getTime()) / MINUTE_MS);
    const last = minuteAt(end);
    const minutes: Minute[] = [];
    for (let minute = first; minute < last; minute++) {
      const figures =
        minute < 0 ? this.#traffic.beforeRelease(-minute) : (this.#traffic[side][minute] ?? { requests: 0, errors: 0 });
      minutes.push(figures);
    }
    return minutes;
  }
}

function counts(minutes: Minute[]): RequestCounts {
  let requests = 0;
  let errors = 0;
  let periods = 0;
  for (const minute of minutes) {
    requests += minute.requests;
    errors += minute.errors;
    if (minute.requests > 0) periods++;
  }
  return { requests, errors, periods };
}

const latencies = (minutes: Minute[]): number[] =>
  minutes.flatMap((minute) => (minute.latency === undefined ? [] : [minute.latency]));

const errorRates = (minutes: Minute[]): number[] =>
  minutes.flatMap((minute) => (minute.requests > 0 ? [minute.errors / minute.requests] : []));
