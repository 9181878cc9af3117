import { describe, expect, it } from '@jest/globals';
import { DEMO_TOOLS_LOCATION } from '../../sandbox/ecs/seed.ts';
import { revisionCount, serviceDeploymentCount } from '../../scripts/lib/ecs-state.ts';
import {
  type EndedExecution,
  executionsWith,
  probe,
  tagOf,
  untilNextSecond,
  waitForExecution,
} from '../../scripts/lib/releases.ts';
import type { ReleaseStatus } from '../../src/cli/status.ts';
import { release, useReleaseSandbox } from './support/e2e.ts';

// EventBridge delivers at least once. ECR's push event, delivered again as the
// exact same object on the sandbox's event bus, makes one release: one new
// task-definition revision, one UpdateService, one release record; every
// other execution ends DUPLICATE, also a redelivery long after the release.

const rs = useReleaseSandbox();

const outcomes = (executions: EndedExecution[]) =>
  executions.map((execution) => `${execution.status}/${execution.outcomes[0]?.outcome}`).sort();

describe('the same push event delivered twice', () => {
  it('makes exactly one release; the second execution ends DUPLICATE', async () => {
    const revisionsBefore = await revisionCount(rs.ecs, 'web');
    const deploymentsBefore = await serviceDeploymentCount(rs.ecs, 'web');

    const pushed = await rs.world.ecr.push('demo/web', 'v2', { location: DEMO_TOOLS_LOCATION });
    const event = pushed.event;
    if (!event) throw new Error('demo/web:v2 was pushed before');
    expect(rs.sandbox.eventBus.publish(event)).toEqual(['release-automation-dev-release-rule-1']);

    const arns = await executionsWith(rs.target, event.id, 2);
    const ended = await Promise.all(arns.map((arn) => waitForExecution(rs.target, arn)));
    expect(outcomes(ended)).toEqual(['SUCCEEDED/DUPLICATE', 'SUCCEEDED/SUCCEEDED']);
    const winner = ended.find((execution) => execution.outcomes[0]?.outcome === 'SUCCEEDED');
    const duplicate = ended.find((execution) => execution.outcomes[0]?.outcome === 'DUPLICATE');
    expect(duplicate?.outcomes[0]?.reason).toContain(winner?.executionArn);

    expect((await revisionCount(rs.ecs, 'web')) - revisionsBefore).toBe(1);
    expect((await serviceDeploymentCount(rs.ecs, 'web')) - deploymentsBefore).toBe(1);
    const answers = await probe(rs.lbUrl(), 4);
    expect(answers.map((answer) => `${answer.status} ${tagOf(answer.image)}`)).toEqual(Array(4).fill('200 v2'));

    const status = await release(['status', '--json', '--endpoint-url', rs.sandbox.endpoint]);
    const records = JSON.parse(status.lines.join('\n')) as ReleaseStatus[];
    expect(records.map((record) => [record.image, record.outcome])).toEqual([['demo/web:v2', 'SUCCEEDED']]);
  }, 60_000);

  it('a redelivery after the release has ended changes nothing either', async () => {
    const revisionsBefore = await revisionCount(rs.ecs, 'web');
    const deploymentsBefore = await serviceDeploymentCount(rs.ecs, 'web');
    await untilNextSecond();
    const pushed = await rs.world.ecr.push('demo/web', 'v3', { location: DEMO_TOOLS_LOCATION });
    const event = pushed.event;
    if (!event) throw new Error('demo/web:v3 was pushed before');
    const [first = ''] = await executionsWith(rs.target, event.id, 1);
    expect((await waitForExecution(rs.target, first)).outcomes[0]?.outcome).toBe('SUCCEEDED');

    rs.sandbox.eventBus.publish(event);
    const arns = await executionsWith(rs.target, event.id, 2);
    const ended = await Promise.all(arns.map((arn) => waitForExecution(rs.target, arn)));
    expect(outcomes(ended)).toEqual(['SUCCEEDED/DUPLICATE', 'SUCCEEDED/SUCCEEDED']);
    expect((await revisionCount(rs.ecs, 'web')) - revisionsBefore).toBe(1);
    expect((await serviceDeploymentCount(rs.ecs, 'web')) - deploymentsBefore).toBe(1);
  }, 60_000);
});
