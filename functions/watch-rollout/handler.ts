import type { Context } from 'aws-lambda';
import { type Handler, lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { type WatchRolloutPorts, watchRollout } from '../../src/release/index.ts';
import { wire as wireCanaryCheck } from '../canary-check/handler.ts';
import { wire as wireNotify } from '../notify/handler.ts';
import { wire as wireWaitStable } from '../wait-stable/handler.ts';

/**
 * `watchRollout` (CheckRollout): `{ look, state }` → the state with waitStable's answer as `stability` and,
 * when that look says an analysis is due, canaryCheck's analysis and notify's notice of it (see watchRollout).
 */
export function createWatchRolloutHandler(ports: WatchRolloutPorts) {
  return async (event: unknown) => watchRollout(event, ports);
}

/** The three steps' own handlers as ports: their parsing, logging and named errors, in one invocation. */
export function portsOf(look: Handler, analyse: Handler, report: Handler, context: Context): WatchRolloutPorts {
  return {
    look: async (query) => (await look(query, context)) as never,
    analyse: async (request) => JSON.parse(JSON.stringify(await analyse(request, context))) as never,
    report: async (notice) => (await report(notice, context)) as never,
  };
}

/** `watchRollout` over what the `wiring` reaches, as waitStable, canaryCheck and notify each reach it. */
export const wire = (wiring: Wiring): Handler => {
  const [look, analyse, report] = [wireWaitStable(wiring), wireCanaryCheck(wiring), wireNotify(wiring)];
  return (event, context) => createWatchRolloutHandler(portsOf(look, analyse, report, context))(event);
};

export const handler = lambdaEntry(wire);
