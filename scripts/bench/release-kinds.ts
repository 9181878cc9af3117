// Runs in a child process (sandbox-child.ts): one fresh sandbox, one release
// of each kind on the demo service, and for each its cost from the execution
// history; successful releases also give the push → UpdateService overhead.

import { DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { DEMO_TOOLS_LOCATION } from '../../sandbox/ecs/seed.ts';
import { readHistory } from '../../src/cli/history.ts';
import { pushImage } from '../../src/cli/push.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../lib/release-sandbox.ts';
import { executionsWith, releaseOutcome, startRelease, untilNextSecond, waitForExecution } from '../lib/releases.ts';
import { deployResult, type ExecutionCost, executionCost, type PushToUpdate, pushToUpdate } from './history-figures.ts';

export interface KindFigures extends ExecutionCost {
  kind: string;
  tag: string;
  status: string;
  outcome: string;
}

export interface ReleaseKindFigures {
  kinds: KindFigures[];
  /** The first release of a fresh sandbox: it also imports every function (Lambda's cold starts). */
  cold: PushToUpdate;
  /** Later successful releases (functions loaded), in order. */
  warm: PushToUpdate[];
  timeFactor: number;
}

const WARM_RELEASES = 5;

async function costOf(rs: ReleaseSandbox, executionArn: string) {
  const ended = await waitForExecution(rs.target, executionArn);
  const history = await readHistory(rs.target, executionArn);
  return { ended, history, cost: executionCost(history) };
}

/** A release of `tag` through the CLI's push; with its overhead when it deployed. */
async function timedRelease(rs: ReleaseSandbox, tag: string) {
  await untilNextSecond();
  const pushedAt = Date.now();
  const { digest, executionArn } = await startRelease(rs.target, 'demo/web', tag);
  const { ended, history, cost } = await costOf(rs, executionArn);
  const arn = deployResult(history)?.serviceDeploymentArn;
  let overhead: PushToUpdate | undefined;
  if (arn) {
    const { serviceDeployments = [] } = await rs.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    );
    const updatedAt = serviceDeployments[0]?.createdAt?.getTime();
    if (updatedAt !== undefined) overhead = pushToUpdate(history, pushedAt, updatedAt);
  }
  const outcome = await releaseOutcome(rs.target, ended, digest);
  return { figures: { tag, status: ended.status, outcome, ...cost }, overhead };
}

export async function measureReleaseKinds(timeFactor: number): Promise<ReleaseKindFigures> {
  const rs = await startReleaseSandbox({ timeFactor });
  try {
    const first = await timedRelease(rs, 'v2');
    if (!first.overhead) throw new Error(`the first release did not deploy: ${first.figures.outcome}`);
    const kinds: KindFigures[] = [{ kind: 'success', ...first.figures }];
    const warm: PushToUpdate[] = [];
    for (let i = 1; i <= WARM_RELEASES; i++) {
      const { overhead, figures } = await timedRelease(rs, `v2.${i}`);
      if (!overhead || figures.outcome !== 'SUCCEEDED') throw new Error(`v2.${i} did not release: ${figures.outcome}`);
      warm.push(overhead);
    }
    kinds.push({ kind: 'rollback (fails health checks)', ...(await timedRelease(rs, 'v3-bad')).figures });
    kinds.push({ kind: 'rollback (crashes at start)', ...(await timedRelease(rs, 'v3-crash')).figures });

    // The digest that is live, pushed again under another tag: nothing to deploy.
    const live = `v2.${WARM_RELEASES}`;
    await untilNextSecond();
    const digest = await pushImage(rs.target, 'demo/web', 'v2-again', live);
    // The digest's own release started the first execution with it; this push, the second.
    const noop = (await executionsWith(rs.target, digest, 2)).at(-1) ?? '';
    const noopCost = await costOf(rs, noop);
    kinds.push({
      kind: 'no-op (digest already live)',
      tag: 'v2-again',
      status: noopCost.ended.status,
      outcome: noopCost.ended.outcomes[0]?.outcome ?? '',
      ...noopCost.cost,
    });

    // The same event twice (EventBridge's at-least-once): the second execution is the duplicate.
    await untilNextSecond();
    const pushed = await rs.world.ecr.push('demo/web', 'v4', { location: DEMO_TOOLS_LOCATION });
    if (!pushed.event) throw new Error('demo/web:v4 was pushed before');
    rs.sandbox.eventBus.publish(pushed.event);
    const both = await executionsWith(rs.target, pushed.event.id, 2);
    const costs = await Promise.all(both.map((arn) => costOf(rs, arn)));
    const duplicate = costs.find((c) => c.ended.outcomes[0]?.outcome === 'DUPLICATE');
    if (!duplicate) throw new Error('no execution of the doubled event ended DUPLICATE');
    kinds.push({
      kind: 'duplicate delivery',
      tag: 'v4',
      status: duplicate.ended.status,
      outcome: 'DUPLICATE',
      ...duplicate.cost,
    });
    return { kinds, cold: first.overhead, warm, timeFactor };
  } finally {
    await rs.stop();
  }
}
