// The release core under a bad day, as an operator would try it: releases
// under throttling on every AWS operation, registrations whose answers are
// lost after they took effect, and bursts of pushes to one target each
// delivered several times. Each scenario says how many releases ran, how many
// ended right, and what went wrong; shared by the reliability tests and
// `npm run bench`.

import type { EcrImageActionEvent } from '../../sandbox/ecr/push-event.ts';
import { DEMO_TOOLS_LOCATION } from '../../sandbox/ecs/seed.ts';
import type { FaultCounts } from '../../sandbox/faults/injector.ts';
import type { Execution } from '../../sandbox/stepfunctions/execution.ts';
import { readStatus } from '../../src/cli/status.ts';
import { sleep } from '../../src/platform/index.ts';
import { digestOfImage, liveRevision, revisionCount } from './ecs-state.ts';
import type { ReleaseSandbox } from './release-sandbox.ts';
import { probe, tagOf } from './releases.ts';

/** What one scenario found. */
export interface ScenarioResult {
  scenario: string;
  /** Pushes made (each one release, whatever its outcome). */
  releases: number;
  /** Releases that ended as they should have. */
  correct: number;
  /** Every way the outcome was wrong; empty when all went right. */
  failures: string[];
  faults: FaultCounts['byKind'];
}

const SERVICE = 'web';
const REPOSITORY = 'demo/web';

/** Pushes one image (to the tools account's registry, where the demo's images are; no faults on the push itself) and returns its event. */
async function push(rs: ReleaseSandbox, tag: string): Promise<EcrImageActionEvent> {
  const pushed = await rs.world.ecr.push(REPOSITORY, tag, { location: DEMO_TOOLS_LOCATION });
  if (!pushed.event) throw new Error(`${REPOSITORY}:${tag} was pushed before`);
  return pushed.event;
}

/** Waits until every release execution has ended (and at least `count` have started). */
async function settleAll(rs: ReleaseSandbox, count: number, timeoutMs = 120_000): Promise<Execution[]> {
  const machine = rs.sandbox.stateMachines.byKey('release');
  if (!machine) throw new Error('the sandbox has no release state machine');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const executions = rs.sandbox.stateMachines.executionsOf(machine.arn);
    if (executions.length >= count && executions.every((execution) => execution.status !== 'RUNNING')) {
      return executions;
    }
    if (Date.now() > until) throw new Error(`releases still running after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** What must hold after every scenario: no execution or record RUNNING, the target's lock free. */
async function leftovers(rs: ReleaseSandbox, executions: Execution[]): Promise<string[]> {
  const problems: string[] = [];
  for (const execution of executions) {
    if (execution.status === 'RUNNING') problems.push(`execution ${execution.name} still RUNNING`);
  }
  const records = await readStatus(rs.target, { limit: 1000 });
  for (const record of records.filter((r) => r.outcome === 'RUNNING')) {
    problems.push(`release ${record.id} (${record.image}) still RUNNING`);
  }
  const lock = await rs.target.releases.readLock(`${SERVICE}#staging`);
  if (lock?.holder) problems.push(`lock still held by ${JSON.stringify(lock.holder)}`);
  return problems;
}

/** The live digest and what the load balancer serves must be `tag`'s. */
async function liveIs(rs: ReleaseSandbox, tag: string, digest: string): Promise<string[]> {
  const live = await liveRevision(rs.ecs, SERVICE);
  if (digestOfImage(live.image) !== digest) return [`${tag} should be live, ${live.image} is`];
  const answers = await probe(rs.lbUrl(SERVICE), 3);
  if (!answers.every((answer) => answer.status === 200 && tagOf(answer.image) === tag)) {
    return [`the load balancer answers ${answers.map((a) => `${a.status} ${a.image}`).join(', ')}, not ${tag}`];
  }
  return [];
}

/** Runs `body` with `faults` in force, then clears them (checks read the result without faults). */
async function withFaults<T>(rs: ReleaseSandbox, faults: unknown[], body: () => Promise<T>) {
  rs.sandbox.faults.clear();
  rs.sandbox.faults.resetCounts();
  rs.sandbox.faults.add(...faults);
  try {
    return { value: await body(), faults: rs.sandbox.faults.counts().byKind };
  } finally {
    rs.sandbox.faults.clear();
  }
}

/**
 * Releases one after another with `rate` throttling on every AWS operation the
 * functions call: good images must end SUCCEEDED, a broken one ROLLED_BACK,
 * the last good one live, one revision per release.
 */
export async function throttledReleases(rs: ReleaseSandbox, tags: string[], rate = 0.3): Promise<ScenarioResult> {
  const revisionsBefore = await revisionCount(rs.ecs, SERVICE);
  const startedBefore = rs.sandbox.stateMachines.executionsOf(machineArn(rs)).length;
  const { value: digests, faults } = await withFaults(rs, [{ service: '*', fault: 'throttle', rate }], async () => {
    const pushed: Record<string, string> = {};
    for (const [k, tag] of tags.entries()) {
      pushed[tag] = (await push(rs, tag)).detail['image-digest'];
      await settleAll(rs, startedBefore + k + 1);
    }
    return pushed;
  });
  const failures: string[] = [];
  const records = await readStatus(rs.target, { limit: 1000 });
  let correct = 0;
  for (const tag of tags) {
    const expected = tag.endsWith('-bad') ? 'ROLLED_BACK' : 'SUCCEEDED';
    const outcome = records.find((record) => record.digest === digests[tag])?.outcome;
    if (outcome === expected) correct += 1;
    else failures.push(`${tag}: ${outcome ?? 'no record'}, expected ${expected}`);
  }
  const lastGood = tags.findLast((tag) => !tag.endsWith('-bad'));
  if (lastGood) failures.push(...(await liveIs(rs, lastGood, digests[lastGood] ?? '')));
  const added = (await revisionCount(rs.ecs, SERVICE)) - revisionsBefore;
  if (added !== tags.length) failures.push(`${added} revisions registered for ${tags.length} releases`);
  failures.push(...(await leftovers(rs, await settleAll(rs, 0))));
  return { scenario: `${rate * 100}% throttling`, releases: tags.length, correct, failures, faults };
}

/**
 * Releases whose RegisterTaskDefinition takes effect but loses its answer at
 * `rate`: each release still registers exactly one revision and succeeds.
 */
export async function lostRegistrations(rs: ReleaseSandbox, tags: string[], rate = 0.5): Promise<ScenarioResult> {
  const startedBefore = rs.sandbox.stateMachines.executionsOf(machineArn(rs)).length;
  const failures: string[] = [];
  let correct = 0;
  const { faults } = await withFaults(
    rs,
    [{ service: 'ecs', operation: 'RegisterTaskDefinition', fault: 'lost', rate }],
    async () => {
      for (const [k, tag] of tags.entries()) {
        const revisionsBefore = await revisionCount(rs.ecs, SERVICE);
        const digest = (await push(rs, tag)).detail['image-digest'];
        await settleAll(rs, startedBefore + k + 1);
        const added = (await revisionCount(rs.ecs, SERVICE)) - revisionsBefore;
        const problems = added === 1 ? [] : [`${tag}: ${added} revisions registered`];
        problems.push(...(await liveIs(rs, tag, digest)));
        if (problems.length > 0) {
          const record = (await readStatus(rs.target, { limit: 1000 })).find((r) => r.digest === digest);
          problems.push(`${tag}: release ${record?.outcome ?? 'not recorded'} ${record?.reason ?? ''}`.trim());
        }
        if (problems.length === 0) correct += 1;
        failures.push(...problems);
      }
    },
  );
  failures.push(...(await leftovers(rs, await settleAll(rs, 0))));
  return {
    scenario: `lost RegisterTaskDefinition answers (${rate * 100}%)`,
    releases: tags.length,
    correct,
    failures,
    faults,
  };
}

/**
 * Pushes `tags` to one target `gapMs` apart (0: back to back), each event
 * delivered `deliveries` times in all, redeliveries interleaved in a shuffled
 * order: the newest push must end live, whatever the delivery order.
 */
export async function pushBurst(
  rs: ReleaseSandbox,
  tags: string[],
  options: { gapMs: number; deliveries: number; shuffle?: () => number },
): Promise<ScenarioResult> {
  const startedBefore = rs.sandbox.stateMachines.executionsOf(machineArn(rs)).length;
  // No faults here: the disorder is the deliveries' own.
  const { value: events, faults } = await withFaults(rs, [], async () => {
    const pushed: EcrImageActionEvent[] = [];
    for (const tag of tags) {
      pushed.push(await push(rs, tag));
      if (options.gapMs > 0) await sleep(options.gapMs);
    }
    const redeliveries = pushed.flatMap((event) => Array.from({ length: options.deliveries - 1 }, () => event));
    const random = options.shuffle ?? Math.random;
    for (const event of redeliveries.sort(() => random() - 0.5)) rs.sandbox.eventBus.publish(event);
    return pushed;
  });
  const executions = await settleAll(rs, startedBefore + events.length * options.deliveries);

  const newest = events.at(-1);
  const failures: string[] = [];
  if (newest) {
    failures.push(...(await liveIs(rs, newest.detail['image-tag'] ?? '', newest.detail['image-digest'])));
  }
  failures.push(...(await leftovers(rs, executions)));
  const gap = options.gapMs === 0 ? 'no gap' : `${options.gapMs} ms apart`;
  return {
    scenario: `burst of ${tags.length} pushes, ${gap}, each delivered ${options.deliveries}×`,
    releases: tags.length,
    correct: failures.length === 0 ? tags.length : 0,
    failures,
    faults,
  };
}

function machineArn(rs: ReleaseSandbox): string {
  const machine = rs.sandbox.stateMachines.byKey('release');
  if (!machine) throw new Error('the sandbox has no release state machine');
  return machine.arn;
}
