// One rotation of the sandbox's demo secret (`web-db`, read by the demo `web`)
// while a client keeps asking the demo through its load balancer: for the
// end-to-end test, the demo and the bench. The rotation starts through the
// CLI's own code (`npx release rotate`), so it is exactly what a user runs.
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { startTraffic, type TrafficCounts } from '../../sandbox/traffic/generator.ts';
import { catalogFilePath } from '../../src/catalog/index.ts';
import { readCatalogSecrets } from '../../src/cli/catalog-secrets.ts';
import { catalogSecret, startRotation } from '../../src/cli/rotate.ts';
import type { ReleaseSandbox } from './release-sandbox.ts';
import { type EndedExecution, waitForExecution } from './releases.ts';

/** The catalog's demo secret (config/catalog.yml), read by the demo `web`. */
export const DEMO_SECRET_PARAMETER = '/release-automation/sandbox/web/db';

export interface RotationRun extends EndedExecution {
  /** What the client saw, from before the rotation started until it ended (with every answer's time). */
  traffic: TrafficCounts;
  /** Requests answered other than 200, connection failures included. */
  failed: number;
  /** Every event of the execution, in order. */
  history: HistoryEvent[];
}

export interface RotationRunOptions {
  /** Default the demo secret. */
  parameter?: string;
  /** The client's rate; default 40 requests/s. */
  ratePerSecond?: number;
  requestedBy?: string;
  timeoutMs?: number;
}

/** Rotates a catalog secret of a sandbox started with `postgres`, with traffic on `web` throughout. */
export async function rotateUnderTraffic(rs: ReleaseSandbox, options: RotationRunOptions = {}): Promise<RotationRun> {
  const env = { ...process.env, ...rs.sandbox.environment };
  const secret = catalogSecret(
    readCatalogSecrets(catalogFilePath(env), env),
    options.parameter ?? DEMO_SECRET_PARAMETER,
    catalogFilePath(env),
  );
  const traffic = startTraffic({
    url: rs.lbUrl('web'),
    ratePerSecond: options.ratePerSecond ?? 40,
    recordAnswers: true,
  });
  let ended: EndedExecution;
  try {
    const executionArn = await startRotation(rs.target, secret, options.requestedBy ?? 'rotation-driver');
    ended = await waitForExecution(rs.target, executionArn, options.timeoutMs ?? 60_000);
  } catch (error) {
    await traffic.stop();
    throw error;
  }
  const counts = await traffic.stop();
  const failed = Object.entries(counts.byStatus)
    .filter(([status]) => status !== '200')
    .reduce((sum, [, n]) => sum + n, 0);
  return { ...ended, traffic: counts, failed, history: await executionHistory(rs, ended.executionArn) };
}

/** Every event of an execution, all pages. */
export async function executionHistory(rs: ReleaseSandbox, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await rs.target.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The rotation's phases as the bench and the demo name them, by the states that start each. */
export const ROTATION_PHASES: Record<string, string> = {
  Begin: 'begin',
  Create: 'create',
  Set: 'set',
  Test: 'test',
  Finish: 'finish',
  Dependents: 'roll',
  AnyRolls: 'end',
  EndPublished: 'end',
  NotifyRotated: 'notify',
};

/** Milliseconds spent in each phase: from the first state of a phase to the first state of the next (the last to the execution's end). */
export function phaseDurations(history: readonly HistoryEvent[]): Record<string, number> {
  const starts: [string, number][] = [];
  for (const event of history) {
    const name = event.stateEnteredEventDetails?.name;
    const phase = name === undefined ? undefined : ROTATION_PHASES[name];
    if (phase && event.timestamp && !starts.some(([seen]) => seen === phase))
      starts.push([phase, event.timestamp.getTime()]);
  }
  const last = history.at(-1)?.timestamp?.getTime() ?? 0;
  return Object.fromEntries(starts.map(([phase, at], i) => [phase, (starts[i + 1]?.[1] ?? last) - at]));
}
