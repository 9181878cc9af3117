// Runs in a child process (sandbox-child.ts) whose RELEASE_CATALOG_FILE is
// scripts/bench/catalog.yml: 20 services, each with its own repository and
// load balancer, released at once, against one release alone.
import { performance } from 'node:perf_hooks';
import { describeExecution, outcomesOf } from '../../src/cli/history.ts';
import { pushImage } from '../../src/cli/push.ts';
import { digestOfImage, liveRevision } from '../lib/ecs-state.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../lib/release-sandbox.ts';
import { probe, tagOf, untilNextSecond } from '../lib/releases.ts';
import { median } from './median.ts';
import { trackReleases } from './track-releases.ts';

export const FAN_OUT = 20;

export interface FanOutFigures {
  services: number;
  /** Push → execution end of one release alone (the median of three, functions already loaded). */
  singleMs: number;
  /** First push → last execution end, all 20 pushed at once. */
  allMs: number;
  /** CPU time this process (the sandbox, functions included) used while the 20 ran, and the event loop's busy share. */
  allCpuMs: number;
  allEventLoopUtilization: number;
  /** The same for one release alone (the last of the three). */
  singleCpuMs: number;
  /** Releases that ended SUCCEEDED with their pushed digest live and their load balancer serving the new tag. */
  correct: number;
  failures: string[];
  timeFactor: number;
}

const service = (i: number) => `svc-${String(i).padStart(2, '0')}`;

/** Pushes `tag` to the services `indexes` at once; the wall time until the last release ended, and what went wrong. */
async function releaseAll(rs: ReleaseSandbox, indexes: number[], tag: string) {
  await untilNextSecond();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = Date.now();
  const digests = await Promise.all(indexes.map((i) => pushImage(rs.target, `bench/${service(i)}`, tag)));
  const ended = await trackReleases(rs.target, digests, started);
  const wallMs = Math.max(...ended.map((release) => release.stopDate.getTime())) - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const utilization = performance.eventLoopUtilization(loop).utilization;

  // Checked once everything has ended, so the checks do not slow the releases down.
  const failures: string[] = [];
  for (const [k, release] of ended.entries()) {
    const name = service(indexes[k] ?? 0);
    const outcome = outcomesOf((await describeExecution(rs.target, release.executionArn)).output)[0]?.outcome;
    const live = await liveRevision(rs.ecs, name);
    const answers = await probe(rs.lbUrl(name), 2);
    if (outcome !== 'SUCCEEDED') failures.push(`${name}: ${release.status} ${outcome ?? ''}`);
    else if (digestOfImage(live.image) !== release.digest) failures.push(`${name}: runs ${live.image}`);
    else if (!answers.every((a) => a.status === 200 && tagOf(a.image) === tag)) {
      failures.push(`${name}: load balancer answers ${answers.map((a) => `${a.status} ${a.image}`).join(', ')}`);
    }
  }
  return { wallMs, cpuMs, utilization, failures };
}

export async function measureFanOut(timeFactor: number): Promise<FanOutFigures> {
  const rs = await startReleaseSandbox({ timeFactor });
  try {
    const indexes = Array.from({ length: FAN_OUT }, (_, k) => k + 1);
    for (const i of indexes) {
      await rs.world.ensureService({ service: service(i), repository: `bench/${service(i)}`, tag: 'v1', port: 0 });
    }
    await Promise.all(indexes.map((i) => rs.world.waitForSteadyState(service(i))));
    // The catalog's smoke URLs, known now that the load balancers run: the
    // functions read them at their next (cold) start, as after a Lambda
    // configuration update.
    rs.sandbox.setFunctionEnvironment(
      Object.fromEntries(indexes.map((i) => [`BENCH_${String(i).padStart(2, '0')}_URL`, `${rs.lbUrl(service(i))}/`])),
    );

    // A first release loads every function (Lambda's cold starts); not timed.
    const singles = [await releaseAll(rs, [1], 'v2')];
    for (const i of [2, 3, 4]) singles.push(await releaseAll(rs, [i], 'v2'));
    const all = await releaseAll(rs, indexes, 'v3');
    return {
      services: FAN_OUT,
      singleMs: median(singles.slice(1).map((single) => single.wallMs)),
      allMs: all.wallMs,
      allCpuMs: all.cpuMs,
      allEventLoopUtilization: all.utilization,
      singleCpuMs: singles.at(-1)?.cpuMs ?? Number.NaN,
      correct: FAN_OUT - all.failures.length,
      failures: [...singles.flatMap((single) => single.failures), ...all.failures],
      timeFactor,
    };
  } finally {
    await rs.stop();
  }
}
