// Waits that wake on ECS's events (issue 17), measured in a child process
// (sandbox-child.ts) on one fresh sandbox: per release kind, the state
// transitions and Lambda invocations (the execution's and ecsEvents' and
// reconcileWaits' meanwhile), the cost at AWS's prices, and the reaction time
// from ECS putting an event on the bus to the execution entering its next state.
// The canary kinds come from the canary measurement (canary.ts).
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { readHistory } from '../../src/cli/history.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../lib/release-sandbox.ts';
import { releaseOutcome, startRelease, untilNextSecond, waitForExecution } from '../lib/releases.ts';
import type { CanaryFigures } from './canary.ts';
import { executionCost } from './history-figures.ts';
import { median } from './median.ts';

export interface WaitKindFigures {
  kind: string;
  tag: string;
  outcome: string;
  transitions: number;
  /** The execution's own invocations (Lambda and callback tasks). */
  invocations: number;
  /** ecsEvents' invocations while the release ran (one per ECS event delivered, duplicates included). */
  eventInvocations: number;
  /** Milliseconds the execution's and ecsEvents' invocations ran, in-process (Lambda bills their duration). */
  invocationMs: number;
  /** ECS's event on the bus → the execution's next state, for each wait an event answered. */
  reactionsMs: number[];
}

export interface WaitFigures {
  kinds: WaitKindFigures[];
  timeFactor: number;
}

interface Invocation {
  key: string;
  startedAt: number;
  endedAt: number;
  event: unknown;
  output: unknown;
}

/** Records every invocation and when each ECS event went on the bus (the sandbox runs in this process). */
function instrument(rs: ReleaseSandbox) {
  const invocations: Invocation[] = [];
  const published = new Map<string, number>();
  const { lambda, eventBus } = rs.sandbox;
  const invoke = lambda.invoke.bind(lambda);
  lambda.invoke = async (key, event, observer) => {
    const startedAt = Date.now();
    let output: unknown;
    try {
      output = await invoke(key, event, observer);
      return output;
    } finally {
      invocations.push({ key, startedAt, endedAt: Date.now(), event, output });
    }
  };
  const publish = eventBus.publish.bind(eventBus);
  eventBus.publish = (event, bus) => {
    if (event.source === 'aws.ecs' && !published.has(event.id)) published.set(event.id, Date.now());
    return publish(event, bus);
  };
  return { invocations, published };
}

const time = (event: HistoryEvent) => event.timestamp?.getTime() ?? 0;

/** For each callback answer an ecsEvents invocation gave: its event's time on the bus → the next state entered. */
function reactions(history: HistoryEvent[], answering: Invocation[], published: Map<string, number>): number[] {
  const found: number[] = [];
  history.forEach((event, index) => {
    if (event.type !== 'TaskSucceeded' && event.type !== 'TaskFailed') return;
    const answeredAt = time(event);
    // The ecsEvents invocation that answered: one running when the task was answered.
    const answer = answering.filter((i) => i.startedAt <= answeredAt && answeredAt <= i.endedAt + 5).at(-1);
    const next = history.slice(index).find((later) => later.type?.endsWith('StateEntered'));
    const id = (answer?.event as { id?: string } | undefined)?.id;
    const at = id === undefined ? undefined : published.get(id);
    if (!answer || !next || at === undefined) return;
    found.push(time(next) - at);
  });
  return found;
}

export async function measureWaits(timeFactor: number): Promise<WaitFigures> {
  const rs = await startReleaseSandbox({ timeFactor });
  const { invocations, published } = instrument(rs);
  const release = async (kind: string, tag: string): Promise<WaitKindFigures> => {
    await untilNextSecond();
    const from = invocations.length;
    const { digest, executionArn } = await startRelease(rs.target, 'demo/web', tag);
    const ended = await waitForExecution(rs.target, executionArn);
    const history = await readHistory(rs.target, executionArn);
    const during = invocations.slice(from);
    const ecsEvents = during.filter((i) => i.key === 'ecsEvents');
    const answering = ecsEvents.filter((i) => (i.output as { answered?: number } | undefined)?.answered);
    const { transitions, invocations: own } = executionCost(history);
    return {
      kind,
      tag,
      outcome: await releaseOutcome(rs.target, ended, digest),
      transitions,
      invocations: own,
      eventInvocations: ecsEvents.length,
      invocationMs: during
        .filter((i) => i.key !== 'reconcileWaits' && i.key !== 'abandon')
        .reduce((sum, i) => sum + (i.endedAt - i.startedAt), 0),
      reactionsMs: reactions(history, answering, published),
    };
  };
  try {
    // The first release imports every function (cold starts): not a kind's figures.
    await release('warm-up', 'v1.1');
    const kinds = [
      await release('rolling', 'v2'),
      await release('rolling', 'v2.1'),
      await release('rollback (crashes at start)', 'v3-crash'),
      await release('rollback (fails health checks)', 'v3-bad'),
    ];
    // Every ECS event lost: the reconcile answers, within its minute.
    rs.sandbox.faults.add({ service: 'events', operation: 'aws.ecs', fault: 'drop', rate: 1 });
    kinds.push(await release('rolling, every ECS event lost', 'v4'));
    return { kinds, timeFactor };
  } finally {
    await rs.stop();
  }
}

// AWS's prices, us-east-1: Step Functions Standard $0.025 per 1,000 state transitions; Lambda $0.20 per
// 1M requests and, on arm64 (serverless.yml), $0.0000133334 per GB-second at the functions' 256 MB.
const PER_TRANSITION = 0.025 / 1000;
const PER_REQUEST = 0.2 / 1_000_000;
const PER_GB_SECOND = 0.0000133334;
const MEMORY_GB = 0.25;
// Before issue 17 (15 s Wait ⇄ Check polls), as the issue measured them, and its targets.
const BEFORE = { rolling: 23, canarySuccess: 140 };
// The canary kinds' figures before the native rollout waited for its next analysis (15 s polls: issue 17's 140
// transitions and 57 invocations for the success; 47 and 20 for the rollback), measured by this bench on main.
const CANARY_BEFORE = {
  SUCCEEDED: { transitions: 140, invocations: 57 },
  ROLLED_BACK: { transitions: 47, invocations: 20 },
};
const TARGETS = { rolling: 18, canary: 60, reactionMs: 2000 };
const PEER_POLL_SECONDS = 15;

const dollars = (value: number) => `$${value.toFixed(6)}`;

function costOf(transitions: number, requests: number, ms: number): number {
  return transitions * PER_TRANSITION + requests * PER_REQUEST + (ms / 1000) * MEMORY_GB * PER_GB_SECOND;
}

export function printWaits(waits: WaitFigures, canary: CanaryFigures): void {
  console.log(
    `\nWaits on ECS (issue 17): per release kind, from GetExecutionHistory and the sandbox's invocations ` +
      `(rolling at time factor ${waits.timeFactor}, canary at ${canary.timeFactor})`,
  );
  console.log(
    `${'kind'.padEnd(32)} ${'tag'.padEnd(9)} ${'outcome'.padEnd(12)} ${'transitions'.padStart(11)} ${'lambdas'.padStart(8)} ` +
      `${'cost'.padStart(10)} ${'reaction'.padStart(9)}`,
  );
  for (const k of waits.kinds) {
    const requests = k.invocations + k.eventInvocations;
    const reaction = k.reactionsMs.length > 0 ? `${Math.round(median(k.reactionsMs))} ms` : '–';
    const target = k.kind === 'rolling' && k.transitions > TARGETS.rolling ? '  OVER TARGET' : '';
    console.log(
      `${k.kind.padEnd(32)} ${k.tag.padEnd(9)} ${k.outcome.padEnd(12)} ${String(k.transitions).padStart(11)} ` +
        `${`${k.invocations}+${k.eventInvocations}`.padStart(8)} ${dollars(costOf(k.transitions, requests, k.invocationMs)).padStart(10)} ` +
        `${reaction.padStart(9)}${target}`,
    );
  }
  for (const r of canary.releases) {
    const kind = r.expected === 'SUCCEEDED' ? 'canary success (10% for 5 min)' : 'canary rollback (30% errors)';
    const target = r.expected === 'SUCCEEDED' && r.transitions > TARGETS.canary ? '  OVER TARGET' : '';
    const before = CANARY_BEFORE[r.expected];
    console.log(
      `${kind.padEnd(32)} ${r.tag.padEnd(9)} ${r.outcome.padEnd(12)} ${String(r.transitions).padStart(11)} ` +
        `${String(r.invocations).padStart(8)} ${dollars(costOf(r.transitions, r.invocations, 0)).padStart(10)} ${'–'.padStart(9)}${target}`,
    );
    console.log(
      `${'  before: 15 s polls'.padEnd(32)} ${''.padEnd(9)} ${''.padEnd(12)} ${String(before.transitions).padStart(11)} ` +
        `${String(before.invocations).padStart(8)} ${dollars(costOf(before.transitions, before.invocations, 0)).padStart(10)}`,
    );
  }
  const reactions = waits.kinds.flatMap((k) => k.reactionsMs);
  console.log(
    `(lambdas: the execution's + ecsEvents' while it ran. Targets: rolling ≤ ${TARGETS.rolling} transitions (${BEFORE.rolling} before),\n` +
      ` canary success ≤ ${TARGETS.canary} (${BEFORE.canarySuccess} before). Cost: $0.025 per 1,000 transitions, $0.20 per 1M requests,\n` +
      ` GB-s at 256 MB arm64 over the in-process durations (canary rows: transitions and requests only).\n` +
      ' reconcileWaits runs every minute whatever the releases: 43,200 requests a month, about $0.01 a month.\n' +
      ' A canary enters 3 states an analysis interval while a step bakes (WaitForRollout, CheckRollout, RolloutDecision:\n' +
      ' CheckRollout looks, analyses and posts the analysis in one invocation; 6 states and 3 invocations before).)',
  );
  const worst = reactions.length > 0 ? Math.max(...reactions) : Number.NaN;
  console.log(
    `\nReaction, ECS's event on the bus → the execution's next state (${reactions.length} waits answered by an event):`,
  );
  console.log(
    `${'this project (measured, median)'.padEnd(44)} ${(reactions.length > 0 ? `${Math.round(median(reactions))} ms` : '–').padStart(9)}` +
      `   (worst ${Number.isNaN(worst) ? '–' : `${Math.round(worst)} ms`}; target ≤ ${TARGETS.reactionMs} ms)` +
      (worst > TARGETS.reactionMs ? '  OVER TARGET' : ''),
  );
  console.log(
    `${'ECS deploy GitHub Action, services-stable'.padEnd(44)} ${`≤ ${PEER_POLL_SECONDS} s`.padStart(9)}` +
      `   (they poll every ${PEER_POLL_SECONDS} s: ${PEER_POLL_SECONDS / 2} s on average)`,
  );
  console.log(
    "(wall-clock time, not scaled: nothing waits on the clock between ECS's event and the next state. With every\n" +
      ' ECS event lost, reconcileWaits answers within its period: a minute in AWS, 1.2 s at factor 0.02.)',
  );
}
