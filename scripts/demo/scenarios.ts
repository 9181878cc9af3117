// The three things `npm run demo` shows, each judged on what a user can see:
// the release's outcome, the image ECS runs, and what the load balancer answers.
import { DEMO_TOOLS_LOCATION } from '../../sandbox/ecs/seed.ts';
import { readHistory } from '../../src/cli/history.ts';
import { watchRelease } from '../../src/cli/watch.ts';
import { digestOfImage, liveRevision, revisionCount, serviceDeploymentCount } from '../lib/ecs-state.ts';
import type { ReleaseSandbox } from '../lib/release-sandbox.ts';
import {
  type Answer,
  executionsWith,
  probe,
  releaseOutcome,
  startRelease,
  tagOf,
  untilNextSecond,
  waitForExecution,
} from '../lib/releases.ts';

export interface ScenarioResult {
  scenario: string;
  expected: string;
  observed: string;
  ok: boolean;
  /** Anything the summary should explain. */
  note?: string;
}

export type Say = (line: string) => void;

const REPOSITORY = 'demo/web';
const SERVICE = 'web';

/** `6/6 × 200 v2`, or the mix that was seen. */
function describeAnswers(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const { status, image } of answers) {
    const key = `${status} ${tagOf(image) || '?'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n}/${answers.length} × ${key}`).join(', ');
}

const allServe = (answers: Answer[], tag: string) =>
  answers.length > 0 && answers.every((a) => a.status === 200 && tagOf(a.image) === tag);

/** Pushes through the CLI's code and follows the release as `release watch` does. */
async function pushAndWatch(rs: ReleaseSandbox, tag: string, say: Say) {
  await untilNextSecond();
  say(`$ release push ${REPOSITORY}:${tag} --watch`);
  const { digest, executionArn } = await startRelease(rs.target, REPOSITORY, tag);
  say(`  pushed ${REPOSITORY}:${tag} ${digest}`);
  await watchRelease(rs.target, executionArn, {
    timeoutSeconds: 120,
    pollMs: 100,
    print: (text) => say(firstLine(text, executionArn)),
  });
  const ended = await waitForExecution(rs.target, executionArn);
  return { digest, ...ended, outcome: await releaseOutcome(rs.target, ended, digest) };
}

/** A failure's cause runs to many lines (stopped tasks, service events): the demo shows the first. */
export function firstLine(text: string, executionArn: string): string {
  const [first = '', ...rest] = text.split('\n');
  const more = ` (+${rest.length} lines: release logs ${executionArn.split(':').pop()})`;
  return `  ${first}${rest.length > 0 ? more : ''}`;
}

/** (a) A healthy tag is released and served. */
export async function goodRelease(rs: ReleaseSandbox, tag: string, say: Say): Promise<ScenarioResult> {
  const release = await pushAndWatch(rs, tag, say);
  const live = await liveRevision(rs.ecs, SERVICE);
  const answers = await probe(rs.lbUrl(SERVICE), 6);
  const outcome = release.outcome;
  const pinned = digestOfImage(live.image) === release.digest;
  say(`  ECS runs ${live.image}; load balancer: ${describeAnswers(answers)}`);
  return {
    scenario: `(a) push ${tag}`,
    expected: `SUCCEEDED, image pinned to the pushed digest, LB serves ${tag}`,
    observed: `${outcome}, ${pinned ? 'pinned' : `NOT pinned (${live.image})`}, LB ${describeAnswers(answers)}`,
    ok: outcome === 'SUCCEEDED' && pinned && allServe(answers, tag),
  };
}

/** (b) A broken tag is caught, rolled back, and the previous tag keeps serving. */
export async function brokenRelease(rs: ReleaseSandbox, tag: string, say: Say): Promise<ScenarioResult> {
  const before = await liveRevision(rs.ecs, SERVICE);
  const servedBefore = tagOf((await probe(rs.lbUrl(SERVICE), 1))[0]?.image ?? '');
  const release = await pushAndWatch(rs, tag, say);
  const after = await liveRevision(rs.ecs, SERVICE);
  const answers = await probe(rs.lbUrl(SERVICE), 10);
  const outcome = release.outcome;
  // Which check caught it: the first task that failed (AwaitStability: ECS's deployment
  // failed, e.g. its circuit breaker, answered to the waiting callback task; SmokeTest: the
  // catalog's HTTP checks).
  const history = await readHistory(rs.target, release.executionArn);
  let state = '';
  let caughtBy = 'nothing failed';
  for (const event of history) {
    state = event.stateEnteredEventDetails?.name ?? state;
    const failed = event.lambdaFunctionFailedEventDetails?.error ?? event.taskFailedEventDetails?.error;
    if (failed) {
      caughtBy = `${state} (${failed})`;
      break;
    }
  }
  const back = after.taskDefinitionArn === before.taskDefinitionArn;
  say(`  caught by ${caughtBy}; ECS runs ${after.taskDefinitionArn.split('/').pop()} again: ${back}`);
  say(`  load balancer: ${describeAnswers(answers)}`);
  return {
    scenario: `(b) push ${tag}`,
    expected: `ROLLED_BACK, previous revision live, LB still serves ${servedBefore}`,
    observed: `${outcome} (caught by ${caughtBy}), ${back ? 'previous revision live' : 'NEW revision live'}, LB ${describeAnswers(answers)}`,
    ok: outcome === 'ROLLED_BACK' && back && servedBefore !== '' && allServe(answers, servedBefore),
    ...(state === 'AwaitStability' || state === 'CheckStability' ? { note: caughtBeforeSmoke(tag) } : {}),
  };
}

const caughtBeforeSmoke = (tag: string) =>
  `${tag} never reached the smoke test: a -bad build fails its own /health, so the load balancer's ` +
  "health checks fail, ECS's deployment circuit breaker trips and rolls back, and the release's " +
  'wait (AwaitStability) is answered with the failed deployment (see sandbox/demo-app/README.md). The smoke test is ' +
  'the next line of defence, for builds that pass their health checks.';

/**
 * (c) EventBridge delivers at least once: ECR's push event, then the exact
 * same event object again on the sandbox's bus. One release, one new revision,
 * one UpdateService; the second execution ends DUPLICATE.
 */
export async function duplicateDelivery(rs: ReleaseSandbox, tag: string, say: Say): Promise<ScenarioResult> {
  const revisionsBefore = await revisionCount(rs.ecs, SERVICE);
  const deploymentsBefore = await serviceDeploymentCount(rs.ecs, SERVICE);
  await untilNextSecond();
  say(`$ push ${REPOSITORY}:${tag}, then deliver its push event once more`);
  const pushed = await rs.world.ecr.push(REPOSITORY, tag, { location: DEMO_TOOLS_LOCATION });
  const event = pushed.event;
  if (!event) throw new Error(`${REPOSITORY}:${tag} was already pushed: no push event`);
  const rules = rs.sandbox.eventBus.publish(event);
  say(`  event ${event.id} (${pushed.imageDigest}) delivered twice; the redelivery matched ${rules.join(', ')}`);
  const arns = await executionsWith(rs.target, event.id, 2);
  const ended = await Promise.all(arns.map((arn) => waitForExecution(rs.target, arn)));
  for (const execution of ended) {
    const { outcome, reason } = execution.outcomes[0] ?? {};
    say(`  ${execution.executionArn.split(':').pop()}: ${execution.status}, ${outcome}${reason ? ` (${reason})` : ''}`);
  }
  const revisions = (await revisionCount(rs.ecs, SERVICE)) - revisionsBefore;
  const deployments = (await serviceDeploymentCount(rs.ecs, SERVICE)) - deploymentsBefore;
  const outcomes = ended.map((execution) => execution.outcomes[0]?.outcome ?? execution.status).sort();
  const answers = await probe(rs.lbUrl(SERVICE), 6);
  say(`  new revisions: ${revisions}, UpdateService calls: ${deployments}; load balancer: ${describeAnswers(answers)}`);
  return {
    scenario: `(c) same event twice (${tag})`,
    expected: 'one release: SUCCEEDED + DUPLICATE, 1 new revision, 1 UpdateService',
    observed: `${outcomes.join(' + ')}, ${revisions} new revision(s), ${deployments} UpdateService, LB ${describeAnswers(answers)}`,
    ok: outcomes.join() === 'DUPLICATE,SUCCEEDED' && revisions === 1 && deployments === 1 && allServe(answers, tag),
  };
}
