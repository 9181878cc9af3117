// The demo image's behaviour is chosen by its tag, so that a push alone can
// stage every outcome a release must handle. The suffixes are dash-separated
// words after the version (`v2-slow`, `v3-slow-flaky`, `v2-err30-lat200`);
// see README.md.

/** What one tag makes the demo app do. */
export interface DemoBehaviour {
  /** Exits at start with this code instead of listening. */
  crashExitCode?: number;
  /** Share of application requests (everything but /health) answered with 500; the first one fails. */
  errorShare: number;
  /** Whether /health answers 200. */
  healthy: boolean;
  /** Added to every application request, in real milliseconds (not time-scaled: it is what the metrics show). */
  latencyMs: number;
}

export const SLOW_LATENCY_MS = 800;
export const ERROR_SHARE = 0.5;

/** The behaviour of the demo app for an image pushed with `tag`. */
export function behaviourOf(tag: string): DemoBehaviour {
  const words = new Set(tag.split('-').slice(1));
  const behaviour: DemoBehaviour = { errorShare: 0, healthy: true, latencyMs: 0 };
  if (words.has('crash')) behaviour.crashExitCode = 1;
  if (words.has('slow')) behaviour.latencyMs = SLOW_LATENCY_MS;
  if (words.has('flaky') || words.has('bad')) behaviour.errorShare = ERROR_SHARE;
  // A `-bad` build knows it is broken: its health check fails, so ECS's
  // circuit breaker catches it. A `-flaky` one passes its health check and
  // only the traffic (smoke tests, canary metrics) shows the errors.
  if (words.has('bad')) behaviour.healthy = false;
  // Parameterised words stage any error rate and latency: `-err30` fails 30% of requests, `-lat200` adds 200 ms.
  for (const word of words) {
    const errors = /^err(\d{1,3})$/.exec(word)?.[1];
    if (errors !== undefined && Number(errors) <= 100) behaviour.errorShare = Number(errors) / 100;
    const latency = /^lat(\d{1,5})$/.exec(word)?.[1];
    if (latency !== undefined) behaviour.latencyMs += Number(latency);
  }
  return behaviour;
}

/**
 * Whether request number `n` (1-based) of one task fails: exactly `share` of
 * requests fail, evenly spread and starting with the first, so tests need no
 * luck and a single probe of a fresh task sees the failure.
 */
export function failsRequest(n: number, share: number): boolean {
  return Math.ceil(n * share) > Math.ceil((n - 1) * share);
}
