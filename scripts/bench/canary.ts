// Runs in a child process (sandbox-child.ts): the canary demo `shop` on one
// fresh sandbox, a canary failing 30% of requests and then a healthy one, with
// production traffic. For each: how long users met the canary (scripts/lib/canary.ts)
// and what the release cost (history-figures.ts). printCanary sets the bad
// canary's time beside Flagger's and CodeDeploy's with their defaults.
import { readHistory } from '../../src/cli/history.ts';
import { canaryScenario } from '../lib/canary.ts';
import { startReleaseSandbox } from '../lib/release-sandbox.ts';
import { type ExecutionCost, executionCost } from './history-figures.ts';

export interface CanaryReleaseFigures extends ExecutionCost {
  tag: string;
  expected: 'ROLLED_BACK' | 'SUCCEEDED';
  outcome: string;
  /** First production answer by the canary → its last one; absent if it met no production traffic. */
  exposure?: { nominalSeconds: number; intervals: number; answers: number; errorRate: number; canaryShare: number };
  /** What ended wrong: the outcome, no exposure to measure, or the canary still answering afterwards. */
  failures: string[];
}

export interface CanaryFigures {
  releases: CanaryReleaseFigures[];
  intervalSeconds: number;
  trafficPerSecond: number;
  timeFactor: number;
}

// As test/e2e/canary.test.ts: with the demo's own 20 requests/s, a 10% canary
// gets enough requests in one interval (3 s at 0.05) to be judged on.
const TRAFFIC_PER_SECOND = 40;
// Step Functions Standard workflows, us-east-1: $0.025 per 1,000 state transitions.
const DOLLARS_PER_TRANSITION = 0.025 / 1000;
const FLAGGER = { intervalSeconds: 60, threshold: 5 };
const ALARM = { periodSeconds: 60, datapoints: 3 };

export async function measureCanary(timeFactor: number): Promise<CanaryFigures> {
  const rs = await startReleaseSandbox({ canaryDemo: true, timeFactor });
  try {
    const releases: CanaryReleaseFigures[] = [];
    let intervalSeconds = 0;
    for (const [tag, expected] of [
      ['v2-err30', 'ROLLED_BACK'],
      ['v2', 'SUCCEEDED'],
    ] as const) {
      const result = await canaryScenario(rs, { tag, trafficPerSecond: TRAFFIC_PER_SECOND });
      intervalSeconds = result.intervalSeconds;
      const failures: string[] = [];
      if (result.outcome !== expected) failures.push(`${result.canaryImage} ended ${result.outcome}, not ${expected}`);
      const exposure = result.exposure;
      // A bad canary caught before any production request reached it (the test listener's smoke check, or
      // an analysis of the demo's own traffic first) has no exposure to measure: the best case, not a failure.
      if (!exposure && expected === 'SUCCEEDED')
        failures.push(`${result.canaryImage} never answered production traffic`);
      else if (exposure && expected === 'ROLLED_BACK') {
        // Back on the stable revision: after the canary's last answer, only the stable one answers.
        const after = (result.counts.answers ?? []).filter((answer) => answer.at > exposure.to);
        if (after.length === 0 || after.some((answer) => !result.stableImages.includes(answer.image))) {
          failures.push(`production did not go back to ${result.stableImages.join(', ')} after the rollback`);
        }
      }
      releases.push({
        tag,
        expected,
        outcome: result.outcome,
        ...(exposure && {
          exposure: {
            nominalSeconds: exposure.nominalSeconds,
            intervals: exposure.intervals,
            answers: exposure.answers,
            errorRate: exposure.errorRate,
            canaryShare: exposure.canaryShare,
          },
        }),
        failures,
        ...executionCost(await readHistory(rs.target, result.executionArn)),
      });
    }
    return { releases, intervalSeconds, trafficPerSecond: TRAFFIC_PER_SECOND, timeFactor };
  } finally {
    await rs.stop();
  }
}

const seconds = (value: number) => `${Math.round(value)} s`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** The bad canary's time to rollback beside Flagger's and CodeDeploy's, then each canary release's cost. */
export function printCanary({ releases, intervalSeconds, trafficPerSecond, timeFactor }: CanaryFigures): void {
  console.log(
    `\nCanary demo \`shop\` (CANARY 10% for 5 min, analysis every ${intervalSeconds} s; time factor ${timeFactor}, ` +
      `${trafficPerSecond} requests/s of production traffic besides the demo's own)`,
  );
  console.log(
    'A canary failing 30% of requests: its first production traffic → production back on the stable revision',
  );
  console.log(`${''.padEnd(44)} ${'intervals'.padStart(9)} ${'nominal'.padStart(9)}`);
  const bad = releases.find((r) => r.expected === 'ROLLED_BACK');
  if (bad && !bad.exposure && bad.outcome === 'ROLLED_BACK') {
    console.log(
      `${`this project (${bad.tag}, measured)`.padEnd(44)} ${'0'.padStart(9)} ${'0 s'.padStart(9)}` +
        '   (rolled back before its first production answer: no user saw it)',
    );
  }
  if (bad?.exposure) {
    const { intervals, nominalSeconds, answers, errorRate, canaryShare } = bad.exposure;
    console.log(
      `${`this project (${bad.tag}, measured)`.padEnd(44)} ${intervals.toFixed(2).padStart(9)} ${seconds(nominalSeconds).padStart(9)}` +
        `   (${answers} answers meanwhile: ${percent(canaryShare)} by the canary, ${percent(errorRate)} errors)`,
    );
  }
  const flagger = FLAGGER.intervalSeconds * FLAGGER.threshold;
  console.log(
    `${'Flagger, interval 60 s × threshold 5'.padEnd(44)} ${(flagger / intervalSeconds).toFixed(2).padStart(9)} ${seconds(flagger).padStart(9)}` +
      '   (its documented time to roll back: interval × threshold)',
  );
  const alarm = ALARM.periodSeconds * ALARM.datapoints;
  console.log(
    `${'CodeDeploy, alarm-based rollback'.padEnd(44)} ${`≥ ${(alarm / intervalSeconds).toFixed(2)}`.padStart(9)} ${`≥ ${seconds(alarm)}`.padStart(9)}` +
      '   (assumed, not measured: see below)',
  );
  console.log(
    "(this project: the canary's first to last answer as the traffic saw them, real time ÷ time factor;\n" +
      ` resolution one request, ~${Math.round(1000 / trafficPerSecond / timeFactor / 100) / 10} nominal s at this rate.\n` +
      ' CodeDeploy, an assumption: a CloudWatch alarm on the target group’s HTTPCode_Target_5XX_Count over\n' +
      ` ${ALARM.periodSeconds}-second periods, ${ALARM.datapoints} of ${ALARM.datapoints} datapoints breaching (a common setting), cannot fire before\n` +
      ` ${seconds(alarm)} of errors; CodeDeploy's reaction to the alarm and the metric's publishing delay come on top.)`,
  );

  console.log(
    '\nPer canary release, from GetExecutionHistory; Step Functions Standard at $0.025 per 1,000 transitions',
  );
  console.log(
    `${'tag'.padEnd(10)} ${'outcome'.padEnd(12)} ${'transitions'.padStart(11)} ${'lambdas'.padStart(8)} ${'waits'.padStart(6)} ${'cost'.padStart(10)}`,
  );
  for (const r of releases) {
    console.log(
      `${r.tag.padEnd(10)} ${r.outcome.padEnd(12)} ${String(r.transitions).padStart(11)} ${String(r.invocations).padStart(8)} ` +
        `${String(r.waits).padStart(6)} ${`$${(r.transitions * DOLLARS_PER_TRANSITION).toFixed(5)}`.padStart(10)}`,
    );
    for (const failure of r.failures) console.log(`  ✗ ${failure}`);
  }
  console.log(
    '(waits, and with them transitions, grow with the bake: one WaitForRollout ⇄ CheckRollout round per analysis\n' +
      ' interval while a step bakes (analysing and posting it in the same task), a 15 s round only where nothing is analysed; Waits are\n' +
      ' nominal time, so in AWS the rounds are about as many)',
  );
}
