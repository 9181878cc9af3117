// The demo image's behaviour is chosen by its tag, so that a push alone can
// stage every outcome a release must handle. The suffixes are dash-separated
// words after the version (`v2-slow`, `v3-slow-flaky`, `v2-err30-lat200`,
// `v1-err0.5-lat20-jit30`); see README.md.

/** What one tag makes the demo app do. */
export interface DemoBehaviour {
  /** Exits at start with this code instead of listening. */
  crashExitCode?: number;
  /** Probability that an application request (everything but /health) is answered with 500, drawn per request. */
  errorShare: number;
  /** Whether /health answers 200. */
  healthy: boolean;
  /** Added to every application request, in real milliseconds (not time-scaled: it is what the metrics show). */
  latencyMs: number;
  /** σ of the lognormal factor each request's added latency is multiplied by (0: every request waits `latencyMs`). */
  latencyJitter: number;
}

export const SLOW_LATENCY_MS = 800;
export const ERROR_SHARE = 0.5;

// A percentage with up to two decimals: `err5`, `err0.5`, `jit30`.
const PERCENT = String.raw`(\d{1,3}(?:\.\d{1,2})?)`;
const ERRORS = new RegExp(`^err${PERCENT}$`);
const JITTER = new RegExp(`^jit${PERCENT}$`);
const LATENCY = /^lat(\d{1,5})$/;

/** The behaviour of the demo app for an image pushed with `tag`. */
export function behaviourOf(tag: string): DemoBehaviour {
  const words = new Set(tag.split('-').slice(1));
  const behaviour: DemoBehaviour = { errorShare: 0, healthy: true, latencyMs: 0, latencyJitter: 0 };
  if (words.has('crash')) behaviour.crashExitCode = 1;
  if (words.has('slow')) behaviour.latencyMs = SLOW_LATENCY_MS;
  if (words.has('flaky') || words.has('bad')) behaviour.errorShare = ERROR_SHARE;
  // A `-bad` build knows it is broken: its health check fails, so ECS's
  // circuit breaker catches it. A `-flaky` one passes its health check and
  // only the traffic (smoke tests, canary metrics) shows the errors.
  if (words.has('bad')) behaviour.healthy = false;
  // Parameterised words stage any error rate, latency and noise: `-err30` fails
  // 30% of requests, `-lat200` adds 200 ms, `-jit30` multiplies each request's
  // added latency by a lognormal factor of σ 0.30.
  for (const word of words) {
    const errors = ERRORS.exec(word)?.[1];
    if (errors !== undefined && Number(errors) <= 100) behaviour.errorShare = Number(errors) / 100;
    const latency = LATENCY.exec(word)?.[1];
    if (latency !== undefined) behaviour.latencyMs += Number(latency);
    const jitter = JITTER.exec(word)?.[1];
    if (jitter !== undefined && Number(jitter) <= 100) behaviour.latencyJitter = Number(jitter) / 100;
  }
  return behaviour;
}
