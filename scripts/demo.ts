// `npm run demo`: the sandbox's promise in one non-interactive run, against a
// fresh sandbox started here on free ports (so it never touches a running
// `npm start`): (a) a good tag is released and the load balancer serves it,
// (b) a broken tag is rolled back and the previous one keeps serving, (c) the
// same push event delivered twice makes one release; then the canary demo
// `shop`, under production traffic: (d) a canary failing 30% of requests is
// rolled back by analysis while the stable revision serves the other users,
// (e) a healthy canary is promoted; then production `web-production`, which
// waits for an approval in the Slack stub: (f) a release asked for from Slack
// by U0DEPLOYER, whose own approval the two-person rule refuses, approved by
// U0APPROVER and served, (g) a GitHub release rejected in Slack, nothing
// deployed. Exits 0 only if all eight happened ((h): the web-db secret rotated under
// traffic, web rolled to it, no request failed); the sandbox is stopped in every case.
//   node scripts/demo.ts [--verbose] [--time-factor 0.05]
import { parseArgs } from 'node:util';
import { CANARY_DEMO_STABLE_TAG } from '../sandbox/ecs/seed.ts';
import { DEFAULT_TIME_FACTOR } from '../sandbox/index.ts';
import { table } from '../src/cli/format.ts';
import { approvedProduction, rejectedProduction } from './demo/approval-scenarios.ts';
import { badCanary, goodCanary } from './demo/canary-scenarios.ts';
import { insightScenario } from './demo/insight-scenario.ts';
import { NOISY_CANARY_TRAFFIC_PER_SECOND, noisyCanaries } from './demo/noisy-canaries.ts';
import { rotationScenario } from './demo/rotation-scenario.ts';
import { brokenRelease, duplicateDelivery, goodRelease, type ScenarioResult } from './demo/scenarios.ts';
import { type ReleaseSandbox, startReleaseSandbox } from './lib/release-sandbox.ts';

const HELP = `Usage: npm run demo -- [--verbose] [--time-factor <x>] [--healthy-canaries <n>]

Starts a fresh sandbox on free ports, then: (a) pushes demo/web:v2 (released,
served), (b) pushes demo/web:v3-bad (rolled back, v2 still served), (c) sends
one push event twice (one release); then, with production traffic on the
canary demo shop, whose stable v1 is a noisy baseline (0.5% errors at random,
jittered latency): (d) pushes demo/shop:v2-err30 (rolled back by analysis, users
served by v1), (e) pushes demo/shop:v3-err0.5-lat20-jit30 (as noisy as v1:
promoted); then production web-production,
approved in the sandbox's Slack: (f) U0DEPLOYER runs /release deploy web v5
production, cannot approve it themself (two-person rule), U0APPROVER approves
(served), (g) a GitHub release of v6 that U0APPROVER rejects (NOT_APPROVED, v5
still served), (h) a rotation of the web-db secret under traffic (web rolled,
no request failed), (i) n healthy canaries as noisy as the baseline (all
promoted, none rolled back) and then a -err5 one (rolled back), (j) release
metrics --json and release audit --format jsonl of all of it (written to files,
the four keys summarized). Prints a
summary; exit code 0 only if all ten happened.
  --verbose          also print the sandbox's terminal and the functions' logs
  --healthy-canaries <n>  how many healthy canaries (i) releases (default 10, ~30 s each; 0 skips (i))
  --time-factor <x>  sandbox time factor (default ${DEFAULT_TIME_FACTOR}; below it an analysis
                     window holds too few 1-second periods for the latency test, and
                     (e) ends ROLLED_BACK on inconclusive analyses)`;

const { values } = parseArgs({
  options: {
    verbose: { type: 'boolean' },
    'time-factor': { type: 'string' },
    'healthy-canaries': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const timeFactor = Number(values['time-factor'] ?? DEFAULT_TIME_FACTOR);
if (!(timeFactor > 0 && timeFactor <= 1)) {
  console.error(`--time-factor must be in (0, 1], got ${values['time-factor']}\n\n${HELP}`);
  process.exit(2);
}

const healthyCanaries = Number(values['healthy-canaries'] ?? 10);
if (!(Number.isInteger(healthyCanaries) && healthyCanaries >= 0 && healthyCanaries <= 100)) {
  console.error(
    `--healthy-canaries must be a whole number from 0 to 100, got ${values['healthy-canaries']}\n\n${HELP}`,
  );
  process.exit(2);
}

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1).padStart(5);
const say = (line: string) => console.log(`[${seconds()}s] ${line}`);

const scenarios: [string, (rs: ReleaseSandbox) => Promise<ScenarioResult>][] = [
  ['(a) push v2', (rs) => goodRelease(rs, 'v2', say)],
  ['(b) push v3-bad', (rs) => brokenRelease(rs, 'v3-bad', say)],
  ['(c) same event twice', (rs) => duplicateDelivery(rs, 'v4', say)],
  ['(d) canary v2-err30', (rs) => badCanary(rs, 'v2-err30', say)],
  ['(e) canary v3-err0.5-lat20-jit30', (rs) => goodCanary(rs, 'v3-err0.5-lat20-jit30', say)],
  ['(f) production v5, approved', (rs) => approvedProduction(rs, 'v5', say)],
  ['(g) GitHub release v6, rejected', (rs) => rejectedProduction(rs, 'v6', say)],
  ['(h) rotate web-db', (rs) => rotationScenario(rs, say)],
  ...(healthyCanaries === 0
    ? []
    : [
        [
          `(i) ${healthyCanaries} noisy canaries, then -err5`,
          (rs: ReleaseSandbox) =>
            noisyCanaries(rs, say, {
              healthy: healthyCanaries,
              firstVersion: 10,
              trafficPerSecond: NOISY_CANARY_TRAFFIC_PER_SECOND,
            }),
        ] satisfies [string, (rs: ReleaseSandbox) => Promise<ScenarioResult>],
      ]),
  ['(j) release metrics and audit', (rs) => insightScenario(rs, say)],
];
const results: ScenarioResult[] = [];
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

let rs: ReleaseSandbox | undefined;
try {
  say(`starting a fresh sandbox on free ports (time factor ${timeFactor})…`);
  rs = await startReleaseSandbox({
    timeFactor,
    canaryDemo: true,
    productionDemo: true,
    postgres: true,
    ...(values.verbose ? { print: (line: string) => say(`  sandbox | ${line}`), functionLogs: true } : {}),
  });
  say(`sandbox up: AWS endpoint ${rs.sandbox.endpoint}, demo web (demo/web:v1) behind ${rs.lbUrl()}`);
  say(
    `  canary demo shop (demo/shop:${CANARY_DEMO_STABLE_TAG}: 0.5% errors, jittered latency; ECS CANARY 10%) behind ${rs.lbUrl('shop')}, 20 requests/s of traffic`,
  );
  say(`  production web-production (demo/web:v1, approval in Slack) behind ${rs.lbUrl('web-production')}`);
  for (const [name, run] of scenarios) {
    say('');
    say(`── ${name}`);
    try {
      results.push(await run(rs));
    } catch (error) {
      say(`  ✗ ${reason(error)}`);
      results.push({ scenario: name, expected: '', observed: `error: ${reason(error)}`, ok: false });
    }
  }
} catch (error) {
  say(`✗ the sandbox did not start: ${reason(error)}`);
} finally {
  say('stopping the sandbox…');
  await rs?.stop().catch((error: unknown) => say(`✗ ${reason(error)}`));
}

const ok = results.length === scenarios.length && results.every((result) => result.ok);
console.log(
  [
    '',
    results.length === 0
      ? 'no scenario ran'
      : table(
          ['', 'SCENARIO', 'EXPECTED', 'OBSERVED'],
          results.map((r) => [r.ok ? '✓' : '✗', r.scenario, r.expected, r.observed]),
        ),
    '',
    ...results.flatMap((r) => (r.note ? [`${r.scenario}: ${r.note}`, ''] : [])),
    ok ? `demo passed in ${seconds().trim()} s` : `demo FAILED in ${seconds().trim()} s`,
  ].join('\n'),
);
process.exitCode = ok ? 0 : 1;
