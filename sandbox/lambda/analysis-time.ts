import type { Wiring } from '../../src/platform/wiring.ts';
import { watchRollout } from '../../src/release/index.ts';
import type { LambdaFunction } from './functions.ts';
import { importHandler, type LambdaHandler } from './handlers.ts';

// The sandbox runs every nominal duration at its time factor: the state
// machine's Wait between two canary analyses (60 s in the catalog) lasts 3 s
// at 0.05. CloudWatch is the exception: its metrics are real requests at real
// timestamps. Read as AWS would, a 60-second window would cover twenty
// analysis intervals (and, after a release, the traffic the other target
// group served then), and a 60-second period would leave one datapoint per
// side, which no rank test can judge. So the sandbox hands canary-check the
// analysis in its own time, as it does every other wait:
//   - a window of the last N seconds becomes the last N × factor seconds
//     (a window given by its start and end, or by `since`, is already real time);
//   - the period becomes the longest GetMetricData period (1, 5, 10, 30 s or
//     whole minutes) within period × factor, at least 1 s;
//   - minimumRequests scales with the window: the demo's traffic runs at its
//     real rate, so a window factor times shorter holds factor times fewer
//     requests. The tests themselves (Fisher's exact test, Mann-Whitney U) are
//     exact for small samples, so this costs power, not false alarms.
// The function and the catalog stay AWS's; only the sandbox's invocation changes.

const HIGH_RESOLUTION_PERIODS = [30, 10, 5, 1];

/** The GetMetricData period the sandbox uses for a nominal `periodSeconds` at `timeFactor`. */
export function scaledPeriod(periodSeconds: number, timeFactor: number): number {
  const scaled = periodSeconds * timeFactor;
  if (scaled >= 60) return Math.floor(scaled / 60) * 60;
  return HIGH_RESOLUTION_PERIODS.find((period) => period <= scaled) ?? 1;
}

const atLeastOne = (value: number) => Math.max(1, Math.ceil(value));
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** canary-check's input with its nominal durations (and the sample size they imply) in the sandbox's time. */
export function scaleAnalysisRequest(event: unknown, timeFactor: number): unknown {
  // Anything malformed goes through untouched: the function's own validation answers it.
  if (!isRecord(event) || timeFactor === 1) return event;
  const scaled: Record<string, unknown> = { ...event };
  const { window, policy } = event;
  if (isRecord(window) && typeof window.seconds === 'number') {
    scaled.window = { ...window, seconds: atLeastOne(window.seconds * timeFactor) };
  }
  // canary-check's own default period, 60 s, when the state machine passes none.
  const period = event.periodSeconds === undefined ? 60 : event.periodSeconds;
  if (typeof period === 'number') scaled.periodSeconds = scaledPeriod(period, timeFactor);
  if (isRecord(policy) && typeof policy.minimumRequests === 'number') {
    scaled.policy = { ...policy, minimumRequests: atLeastOne(policy.minimumRequests * timeFactor) };
  }
  return scaled;
}

/**
 * wait-stable's query with the analysis interval (and the poll and longest wait between looks)
 * in the sandbox's time: it decides when an interval of traffic has passed
 * since the last analysis, on the real clock, so a nominal 60 s is 3 s at 0.05;
 * and the waitSeconds it answers, which WaitForRollout waits (a SecondsPath
 * Wait the runner does not scale), are then the sandbox's seconds already.
 */
export function scaleRolloutQuery(event: unknown, timeFactor: number): unknown {
  if (!isRecord(event) || timeFactor === 1) return event;
  const { native } = event;
  if (!isRecord(native) || typeof native.intervalSeconds !== 'number') return event;
  const scaled: Record<string, unknown> = {
    ...native,
    intervalSeconds: atLeastOne(native.intervalSeconds * timeFactor),
  };
  for (const key of ['pollSeconds', 'longestWaitSeconds']) {
    const seconds = native[key];
    if (typeof seconds === 'number') scaled[key] = atLeastOne(seconds * timeFactor);
  }
  return { ...event, native: scaled };
}

/** A function's handler, called with its input put in the sandbox's time by `scale` (see above). */
export function timeScaled(
  load: () => Promise<LambdaHandler>,
  scale: (event: unknown, timeFactor: number) => unknown,
  timeFactor: number,
): LambdaHandler {
  let handler: Promise<LambdaHandler> | undefined;
  return async (event, context) => {
    handler ??= load().catch((error: unknown) => {
      handler = undefined;
      throw error;
    });
    return (await handler)(scale(event, timeFactor), context);
  };
}

/**
 * The handlers of the functions that read the real clock or real-time metrics, called with their
 * nominal durations in the sandbox's time: canary-check its window, wait-stable the analysis interval.
 */
export function timeScaledHandlers(
  functions: ReadonlyMap<string, LambdaFunction>,
  timeFactor: number,
  wiring: () => Wiring,
): Record<string, LambdaHandler> {
  const scaling = [
    ['canaryCheck', scaleAnalysisRequest],
    ['waitStable', scaleRolloutQuery],
  ] as const;
  const scaled: Record<string, LambdaHandler> = Object.fromEntries(
    scaling.flatMap(([key, scale]) => {
      const fn = functions.get(key);
      return fn ? [[key, timeScaled(() => importHandler(fn.handler, wiring), scale, timeFactor)]] : [];
    }),
  );
  // watch-rollout (CheckRollout) composes wait-stable's look and canary-check's analysis: each scaled as above.
  const { waitStable: look, canaryCheck: analyse } = scaled;
  const notify = functions.get('notify');
  if (functions.has('watchRollout') && look && analyse && notify) {
    const report = timeScaled(
      () => importHandler(notify.handler, wiring),
      (event) => event,
      timeFactor,
    );
    scaled.watchRollout = async (event, context) =>
      watchRollout(event, {
        look: async (query) => (await look(query, context)) as never,
        analyse: async (request) => JSON.parse(JSON.stringify(await analyse(request, context))),
        report: async (notice) => (await report(notice, context)) as never,
      });
  }
  return scaled;
}
