// One rotation of the demo secret (web-db, PostgreSQL) on a fresh sandbox
// with its PostgreSQL, while a client asks the demo `web` through its load
// balancer: the time of each phase, from the execution history's state
// timestamps, and the requests web served and failed meanwhile. Wall-clock
// figures are what the sandbox took; nominal ones divide the time factor
// back out (what the same waits would take in AWS; the real work of set and
// test, a PostgreSQL login, is not scaled, so their nominal figures overstate).
import { FAST_TIME_FACTOR, startReleaseSandbox } from '../lib/release-sandbox.ts';
import { phaseDurations, ROTATION_PHASES, rotateUnderTraffic } from '../lib/rotation.ts';

export interface RotationFigures {
  status: string;
  timeFactor: number;
  trafficPerSecond: number;
  /** Wall-clock milliseconds by phase, in order. */
  phases: Record<string, number>;
  totalMs: number;
  served: number;
  failed: number;
  /** What ended wrong: the outcome, or a failed request. */
  failures: string[];
}

const TRAFFIC_PER_SECOND = 50;

/** Rotates the demo secret once under traffic and times it by phase. */
export async function benchRotation(timeFactor = FAST_TIME_FACTOR): Promise<RotationFigures> {
  const rs = await startReleaseSandbox({ postgres: true, timeFactor });
  try {
    const run = await rotateUnderTraffic(rs, { ratePerSecond: TRAFFIC_PER_SECOND, requestedBy: 'bench' });
    const served = Object.values(run.traffic.byStatus).reduce((sum, n) => sum + n, 0);
    const failures = [
      ...(run.status === 'SUCCEEDED' ? [] : [`the rotation ended ${run.status}`]),
      ...(run.failed > 0 ? [`web failed ${run.failed} of ${served} requests during the rotation`] : []),
    ];
    return {
      status: run.status,
      timeFactor,
      trafficPerSecond: TRAFFIC_PER_SECOND,
      phases: phaseDurations(run.history),
      totalMs: (run.stopDate?.getTime() ?? 0) - (run.startDate?.getTime() ?? 0),
      served,
      failed: run.failed,
      failures,
    };
  } finally {
    await rs.stop();
  }
}

const wall = (ms: number) => `${Math.round(ms)} ms`;
const nominal = (ms: number, timeFactor: number) => `${(ms / timeFactor / 1000).toFixed(1)} s`;

/** The rotation's phases, wall-clock and nominal, and web's requests during it. */
export function printRotation(figures: RotationFigures): void {
  const { timeFactor } = figures;
  console.log(
    `\nSecret rotation: web-db (postgres-credentials) rolling web/staging; time factor ${timeFactor}, ` +
      `${figures.trafficPerSecond} requests/s on web throughout`,
  );
  console.log(`${'phase'.padEnd(10)} ${'wall-clock'.padStart(11)} ${'nominal'.padStart(9)}`);
  for (const phase of new Set(Object.values(ROTATION_PHASES))) {
    const ms = figures.phases[phase];
    if (ms === undefined) continue;
    console.log(`${phase.padEnd(10)} ${wall(ms).padStart(11)} ${nominal(ms, timeFactor).padStart(9)}`);
  }
  console.log(
    `${'total'.padEnd(10)} ${wall(figures.totalMs).padStart(11)} ${nominal(figures.totalMs, timeFactor).padStart(9)}` +
      `   ${figures.status}; web served ${figures.served} requests, ${figures.failed} failed`,
  );
  console.log(
    '(nominal = wall-clock ÷ time factor: right for the waits of the roll; the other phases are function and PostgreSQL work the sandbox does not scale, so their nominal figures overstate)',
  );
  for (const failure of figures.failures) console.log(`FAILED: ${failure}`);
}
