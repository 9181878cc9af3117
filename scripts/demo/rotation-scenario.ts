// The demo's secret rotation: the database credential of the demo `web`
// (catalog secret web-db) rotated while a client keeps asking web through its
// load balancer, judged on what a user sees: the rotation's outcome, and
// every request answered during it and during the roll of web's tasks.
import type { ReleaseSandbox } from '../lib/release-sandbox.ts';
import { DEMO_SECRET_PARAMETER, rotateUnderTraffic } from '../lib/rotation.ts';
import type { Say, ScenarioResult } from './scenarios.ts';

const RATE = 50;

/** (f) `npx release rotate` of web's database credential, with traffic on web; the sandbox needs `postgres: true`. */
export async function rotationScenario(rs: ReleaseSandbox, say: Say): Promise<ScenarioResult> {
  // The images pushed for (f) and (g) also released web's staging: a forced
  // deployment started while such a release deploys is stopped by it (ECS runs
  // one deployment of a service at a time), so the rotation waits for them.
  const release = rs.sandbox.stateMachines.byKey('release');
  const running = release
    ? rs.sandbox.stateMachines.executionsOf(release.arn).filter((e) => e.status === 'RUNNING')
    : [];
  if (running.length > 0) say(`  waiting for ${running.length} release(s) of web to end first`);
  await Promise.all(running.map((execution) => execution.settled));
  say(`$ release rotate ${DEMO_SECRET_PARAMETER}   (${RATE} requests/s on web throughout)`);
  const run = await rotateUnderTraffic(rs, { ratePerSecond: RATE, requestedBy: 'demo' });
  const served = Object.values(run.traffic.byStatus).reduce((sum, n) => sum + n, 0);
  const rolled = run.history.some((event) => event.stateEnteredEventDetails?.name === 'Rolled');
  const statuses = Object.entries(run.traffic.byStatus)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');
  say(`  ${run.status}; web rolled: ${rolled}; web answered ${statuses || 'nothing'}`);
  return {
    scenario: '(h) rotate web-db',
    expected: 'SUCCEEDED, web rolled to the new credential, 0 failed requests',
    observed: `${run.status}, ${rolled ? 'web rolled' : 'web NOT rolled'}, ${served} served, ${run.failed} failed`,
    ok: run.status === 'SUCCEEDED' && rolled && run.failed === 0 && served > 0,
    note:
      'The new login went to the role not in use (web_a/web_b), was tested, then published; ' +
      "web's tasks restarted on it while the previous role kept serving the old tasks.",
  };
}
