import { createHttpProbe } from '../../release/wiring.ts';
import type { ReachabilityPort } from '../ports.ts';

/** A HEAD request through the smoke test's own probe: any HTTP answer means the URL resolves and listens. */
export function createUrlReachability(): ReachabilityPort {
  const probe = createHttpProbe();
  return {
    async problem(url, timeoutMs) {
      const outcome = await probe.request({ url, method: 'HEAD', timeoutMs, readBody: false });
      if (outcome.kind === 'response') return undefined;
      return outcome.kind === 'timeout' ? `no answer within ${timeoutMs / 1000} s` : outcome.message;
    },
  };
}
