import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { DEMO_TOOLS_LOCATION } from '../../sandbox/ecs/seed.ts';
import { revisionCount } from '../../scripts/lib/ecs-state.ts';
import { executionsWith, waitForExecution } from '../../scripts/lib/releases.ts';
import type { ReleaseStatus } from '../../src/cli/status.ts';
import { E2E_TIME_FACTOR, release, useReleaseSandbox } from './support/e2e.ts';

// ECR's push events are best effort. With every one of them dropped (the
// sandbox's event fault), the push reconciler (serverless.yml's schedule, on
// the sandbox's clock) releases the push within one reconcile period, its
// record says the reconciler started it, and the event delivered late ends
// DUPLICATE: one release, one new revision.

const rs = useReleaseSandbox();

// The catalog's default period, 5 minutes, at the e2e time factor: 6 s.
const PERIOD_MS = 5 * 60_000 * E2E_TIME_FACTOR;

/** Waits until the reconciler's schedule has fired once more than now, and returns when it fires next. */
async function afterNextRun(): Promise<number> {
  const nextRun = () =>
    rs.sandbox.eventBus.schedules
      ?.nextFirings()
      .find((firing) => firing.rule.target.key === 'reconcilePushes')
      ?.due.getTime();
  const due = nextRun();
  if (due === undefined) throw new Error('the sandbox runs no reconcilePushes schedule');
  while ((nextRun() ?? due) <= due) await sleep(50);
  return nextRun() ?? due;
}

describe('the push reconciler, with every ECR push event lost', () => {
  it('releases the push within one period, says so, and the late event makes no second release', async () => {
    rs.sandbox.faults.add({ service: 'events', operation: 'aws.ecr', fault: 'drop', rate: 1 });
    // The first run only marks where it stands; a push just after a run waits one period for the next.
    await afterNextRun();
    const revisionsBefore = await revisionCount(rs.ecs, 'web');

    const pushedAt = Date.now();
    // To the tools account's ECR, where the demo's images are (config/catalog.yml).
    const { event } = await rs.world.ecr.push('demo/web', 'v2', { location: DEMO_TOOLS_LOCATION });
    if (!event) throw new Error('demo/web:v2 was pushed before');
    const digest = event.detail['image-digest'];

    const [reconciled = ''] = await executionsWith(rs.target, digest, 1, 3 * PERIOD_MS);
    const ended = await waitForExecution(rs.target, reconciled);
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.outcomes.map((outcome) => outcome.outcome)).toEqual(['SUCCEEDED']);
    const startedAfterMs = (ended.startDate?.getTime() ?? Number.POSITIVE_INFINITY) - pushedAt;
    // One period, and a little for the run itself on a busy machine.
    expect(startedAfterMs).toBeLessThanOrEqual(PERIOD_MS + 1_000);

    const releaseId = ended.outcomes[0]?.releaseId ?? '';
    const logs = await release(['logs', releaseId, '--endpoint-url', rs.sandbox.endpoint]);
    expect(logs.lines[1]).toMatch(/^trigger ecr-reconcile \(reconcile-[0-9a-f]{64}, /);

    // The event, delivered late: the same release id, so DUPLICATE.
    rs.sandbox.faults.clear();
    expect(rs.sandbox.eventBus.publish(event)).toEqual(['release-automation-dev-release-rule-1']);
    const late = (await executionsWith(rs.target, digest, 2)).find((arn) => arn !== reconciled) ?? '';
    expect((await waitForExecution(rs.target, late)).outcomes.map((outcome) => outcome.outcome)).toEqual(['DUPLICATE']);

    // And the next reconcile run leaves it alone too.
    await afterNextRun();
    await afterNextRun();
    expect(await executionsWith(rs.target, digest, 2)).toHaveLength(2);
    expect((await revisionCount(rs.ecs, 'web')) - revisionsBefore).toBe(1);
    const status = await release(['status', '--json', '--endpoint-url', rs.sandbox.endpoint]);
    const records = JSON.parse(status.lines.join('\n')) as ReleaseStatus[];
    expect(records.map((record) => [record.id, record.image, record.outcome])).toEqual([
      [releaseId, 'demo/web:v2', 'SUCCEEDED'],
    ]);
  }, 90_000);
});
