import { DEFAULT_TIME_FACTOR } from '../../sandbox/index.ts';
import {
  BAD_NOISE,
  BASELINE_NOISE,
  judgeNoisyCanaries,
  NOISY_CANARY_TRAFFIC_PER_SECOND,
  runNoisyCanaries,
} from '../../scripts/demo/noisy-canaries.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../../scripts/lib/release-sandbox.ts';

// Issue 16's sandbox check: `shop`'s stable revision serves a noisy baseline
// (0.5% errors at random, jittered latency). Ten healthy canaries that behave
// exactly like it are all promoted, none rolled back; a canary failing 5% of
// its requests is rolled back. Each release keeps its analyses' figures on its
// record. One release after another at the sandbox's default time factor
// (a 5-minute canary step and a 2-minute bake are ~25 s each).

const HEALTHY = 10;

let rs: ReleaseSandbox;
beforeAll(async () => {
  rs = await startReleaseSandbox({ canaryDemo: true, timeFactor: DEFAULT_TIME_FACTOR });
}, 60_000);
afterAll(() => rs?.stop());

describe('canaries against a noisy baseline', () => {
  it(`promotes ${HEALTHY} healthy canaries (0 rolled back) and rolls back a -err5 one, keeping each analysis's figures on the record`, async () => {
    const started = Date.now();
    const run = await runNoisyCanaries(
      rs,
      { healthy: HEALTHY, firstVersion: 10, trafficPerSecond: NOISY_CANARY_TRAFFIC_PER_SECOND },
      (line) => process.stdout.write(`${line}\n`),
    );
    const row = judgeNoisyCanaries(run, 'noisy canaries');
    process.stdout.write(`${row.observed}\n${row.note}\nin ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

    expect(run.healthy.map((canary) => [canary.tag, canary.outcome])).toEqual(
      Array.from({ length: HEALTHY }, (_, i) => [`v${10 + i}-${BASELINE_NOISE}`, 'SUCCEEDED']),
    );
    expect([run.bad.tag, run.bad.outcome]).toEqual([`v${10 + HEALTHY}-${BAD_NOISE}`, 'ROLLED_BACK']);
    expect(row.ok).toBe(true);

    // The record of the bad canary keeps every analysis it ran, each with its error counts.
    const [record] = await rs.target.releases.listExecutionReleases(run.bad.executionArn);
    expect(record?.outcome).toBe('ROLLED_BACK');
    expect(record?.analyses?.map((analysis) => analysis.verdict)).toEqual(run.bad.analyses.map((a) => a.verdict));
    const errorRate = record?.analyses?.at(-1)?.metrics.find((metric) => /error/i.test(metric.metric));
    expect(errorRate).toMatchObject({ canary: { requests: expect.any(Number), errors: expect.any(Number) } });
  }, 900_000);
});
