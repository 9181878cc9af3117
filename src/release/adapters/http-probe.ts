import type { HttpProbe, ProbeOutcome, ProbeRequest } from '../ports/http-probe.ts';

/** An HTTP probe on the global fetch: one request, its own timeout, redirects reported rather than followed. */
export function createHttpProbe(): HttpProbe {
  return {
    async request(request: ProbeRequest): Promise<ProbeOutcome> {
      const started = performance.now();
      let latencyMs = 0;
      try {
        const response = await fetch(request.url, {
          method: request.method,
          // A check that expects 200 must not pass because a redirect led somewhere that answers 200.
          redirect: 'manual',
          headers: { 'user-agent': 'release-automation-smoke-test' },
          // Covers reading the body too: a server that stalls mid-body times out as well.
          signal: AbortSignal.timeout(request.timeoutMs),
        });
        latencyMs = performance.now() - started;
        if (!request.readBody) {
          // Free the connection without downloading what nobody reads.
          await response.body?.cancel();
          return { kind: 'response', status: response.status, latencyMs };
        }
        return { kind: 'response', status: response.status, body: await response.text(), latencyMs };
      } catch (error) {
        latencyMs ||= performance.now() - started;
        if (fields(error).name === 'TimeoutError') return { kind: 'timeout', latencyMs };
        return { kind: 'error', message: describeFetchError(error), latencyMs };
      }
    },
  };
}

// fetch rejects with "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, ...)
// is in its cause. Read by shape: errors from Node's fetch need not be this
// realm's Error (jest's VM contexts, for one).
function describeFetchError(error: unknown): string {
  const { message, cause } = fields(error);
  const inner = fields(cause);
  if (typeof inner.code === 'string')
    return typeof inner.message === 'string' ? `${inner.code} (${inner.message})` : inner.code;
  if (typeof inner.message === 'string') return inner.message;
  return typeof message === 'string' ? message : String(error);
}

function fields(value: unknown): { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } {
  return value !== null && typeof value === 'object' ? value : {};
}
