import { describe, expect, it } from '@jest/globals';
import { probe, releaseImage, releaseOutcome, tagOf, untilNextSecond } from '../../scripts/lib/releases.ts';
import { useReleaseSandbox } from './support/e2e.ts';

// Waits that wake on ECS's events (issue 17), end to end: the sandbox's ECS puts
// "ECS Deployment State Change" and "ECS Service Action" events on the default
// bus, the ecsEvents rule wakes the waiting releases, and reconcileWaits (every
// nominal minute, 1.2 s here) answers those whose events never came. With ECS's
// events dropped, duplicated and delayed, every release still ends as its image
// deserves: the good ones live, the crashing ones rolled back to the last good.

const rs = useReleaseSandbox();

const RELEASES = 20;
// Every fifth image exits at start: ECS's circuit breaker fails its deployment, and the release rolls back.
const tags = Array.from({ length: RELEASES }, (_, i) => (i % 5 === 3 ? `e${i + 1}-crash` : `e${i + 1}`));

describe('waits with ECS events dropped, duplicated and delayed', () => {
  it(`ends ${RELEASES} releases correct, whatever became of their events`, async () => {
    rs.sandbox.faults.add(
      { service: 'events', operation: 'aws.ecs', fault: 'drop', rate: 0.3 },
      { service: 'events', operation: 'aws.ecs', fault: 'duplicate', rate: 0.3 },
      // Later than the reconcile's period, and after events published since: reordered.
      { service: 'events', operation: 'aws.ecs', fault: 'delay', latencyMs: 1500, rate: 0.3 },
    );
    let live = 'v1';
    const ended: string[] = [];
    for (const tag of tags) {
      await untilNextSecond();
      const released = await releaseImage(rs.target, 'demo/web', tag);
      const outcome = await releaseOutcome(rs.target, released, released.digest);
      ended.push(`${tag} ${outcome}`);
      if (outcome === 'SUCCEEDED') live = tag;
      // What the service serves is what the release says it left.
      const answers = await probe(rs.lbUrl(), 2);
      expect(answers.map((answer) => `${answer.status} ${tagOf(answer.image)}`)).toEqual(Array(2).fill(`200 ${live}`));
    }

    expect(ended).toEqual(tags.map((tag) => `${tag} ${tag.endsWith('-crash') ? 'ROLLED_BACK' : 'SUCCEEDED'}`));
    const { byKind } = rs.sandbox.faults.counts();
    expect(byKind.drop).toBeGreaterThan(0);
    expect(byKind.duplicate).toBeGreaterThan(0);
    expect(byKind.delay).toBeGreaterThan(0);
  }, 180_000);
});
