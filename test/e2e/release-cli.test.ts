import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { probe, tagOf, untilNextSecond } from '../../scripts/lib/releases.ts';
import type { ReleaseStatus } from '../../src/cli/status.ts';
import { awsJson, describeServiceWithCli, describeWithAwsCli } from './support/aws-cli.ts';
import { pushAndWatch, release, useReleaseSandbox } from './support/e2e.ts';

// Issue 3's acceptance, end to end on a fresh sandbox: the AWS CLI sees the
// demo service; `release push` (a real process) releases v2, which then shows
// in Step Functions, runs pinned by digest and answers through the load
// balancer; a broken image is rolled back while v2 keeps serving; `release
// watch` and `release status --json` report it all. The blocks run in order,
// one release story; the AWS CLI's views of it are blocks of their own, so the
// rest runs (and passes) on a machine without the CLI.

interface Service {
  serviceName: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
}

let pushedDigest = '';
let v2Execution = '';

const rs = useReleaseSandbox();
let endpoint: string;
beforeAll(() => {
  endpoint = rs.sandbox.endpoint;
});

const describeWeb = async () => (await describeServiceWithCli<Service>(endpoint)).services;

describeWithAwsCli('the demo service before any release, seen through the AWS CLI', () => {
  it('aws ecs describe-services returns the demo service running with its two tasks', async () => {
    const services = await describeWeb();
    expect(services).toEqual([
      expect.objectContaining({ serviceName: 'web', status: 'ACTIVE', desiredCount: 2, runningCount: 2 }),
    ]);
  });
});

describe('releasing the demo service through the release CLI', () => {
  it('the load balancer answers from demo/web:v1 before any release', async () => {
    expect((await probe(rs.lbUrl(), 2)).map((answer) => answer.image)).toEqual(['demo/web:v1', 'demo/web:v1']);
  });

  it('`node bin/release.ts push demo/web:v2 --watch` releases v2 and exits 0', async () => {
    const { code, stdout, stderr } = await pushAndWatch(endpoint);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    pushedDigest = /^pushed demo\/web:v2 (sha256:[0-9a-f]{64})$/m.exec(stdout)?.[1] ?? '';
    v2Execution = /^release started: (arn:\S+)$/m.exec(stdout)?.[1] ?? '';
    expect(pushedDigest).not.toBe('');
    expect(v2Execution).not.toBe('');
    expect(stdout).toMatch(/Deploy\n(.|\n)*SmokeTest\n(.|\n)*^SUCCEEDED in /m);
  }, 60_000);

  it('the load balancer answers from v2', async () => {
    const answers = await probe(rs.lbUrl(), 6);
    expect(answers.map((answer) => `${answer.status} ${tagOf(answer.image)}`)).toEqual(Array(6).fill('200 v2'));
  });
});

describeWithAwsCli('the v2 release, seen through the AWS CLI', () => {
  it('the release shows in aws stepfunctions list-executions', async () => {
    const stateMachineArn = v2Execution.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
    const { executions } = await awsJson<{ executions: { executionArn: string; status: string }[] }>(endpoint, [
      'stepfunctions',
      'list-executions',
      '--state-machine-arn',
      stateMachineArn,
    ]);
    expect(executions).toContainEqual(expect.objectContaining({ executionArn: v2Execution, status: 'SUCCEEDED' }));
  });

  it("the service's task definition runs demo/web@<the pushed digest>", async () => {
    const [service] = await describeWeb();
    const { taskDefinition } = await awsJson<{ taskDefinition: { containerDefinitions: { image: string }[] } }>(
      endpoint,
      ['ecs', 'describe-task-definition', '--task-definition', service?.taskDefinition ?? ''],
    );
    expect(taskDefinition.containerDefinitions[0]?.image).toMatch(/^[a-z0-9.-]+\/demo\/web@sha256:[0-9a-f]{64}$/);
    expect(taskDefinition.containerDefinitions[0]?.image.endsWith(`/demo/web@${pushedDigest}`)).toBe(true);
    expect(service?.taskDefinition).toMatch(/:task-definition\/web:2$/);
  });
});

describe('rolling back and reporting through the release CLI', () => {
  it('a broken image is rolled back, `release watch` shows it state by state, and v2 keeps serving', async () => {
    await untilNextSecond();
    const pushed = await release(['push', 'demo/web:v3-bad', '--endpoint-url', endpoint]);
    expect(pushed.code).toBe(0);
    const execution = pushed.lines.find((line) => line.startsWith('release started: '))?.slice(17) ?? '';

    const watched = await release(['watch', execution, '--endpoint-url', endpoint]);
    expect(watched.code).toBe(1);
    const states = watched.lines.map((line) => /^\s+\S+\s{2}(\w+)$/.exec(line)?.[1]).filter(Boolean);
    expect(states.slice(0, 9)).toEqual([
      'Planned',
      'Plan',
      'AnythingToRelease',
      'Releases',
      'Claim',
      'ClaimDecision',
      'NotifyStarted',
      'ApprovalNeeded',
      'Deploy',
    ]);
    expect(states).toEqual(expect.arrayContaining(['AwaitStability', 'Rollback', 'AwaitRollback', 'RolledBack']));
    expect(states.at(-1)).toBe('ReleaseFailed');
    expect(watched.lines).toContainEqual(expect.stringMatching(/! DeploymentFailedError: deployment of web:3/));
    expect(watched.lines).toContainEqual(expect.stringMatching(/^FAILED in /));

    const { services } = await rs.ecs.send(new DescribeServicesCommand({ cluster: 'sandbox', services: ['web'] }));
    expect(services?.[0]?.taskDefinition).toMatch(/:task-definition\/web:2$/);
    const answers = await probe(rs.lbUrl(), 10);
    expect(answers.map((answer) => `${answer.status} ${tagOf(answer.image)}`)).toEqual(Array(10).fill('200 v2'));
  }, 60_000);

  it('`release status --json` lists both releases with their outcome, newest first', async () => {
    const { code, lines } = await release(['status', '--json', '--endpoint-url', endpoint]);
    expect(code).toBe(0);
    const releases = JSON.parse(lines.join('\n')) as ReleaseStatus[];
    expect(releases).toEqual([
      expect.objectContaining({ image: 'demo/web:v3-bad', outcome: 'ROLLED_BACK', state: 'DONE', service: 'web' }),
      expect.objectContaining({
        image: 'demo/web:v2',
        digest: pushedDigest,
        outcome: 'SUCCEEDED',
        state: 'DONE',
        service: 'web',
        environment: 'staging',
      }),
    ]);
    expect(releases[0]?.reason).toMatch(/DeploymentFailedError/);
    for (const listed of releases) expect(listed.durationMs).toBeGreaterThan(0);
  });

  it('`release status --service web --environment staging` lists the same releases; another environment none', async () => {
    const status = async (...filter: string[]) => {
      const { code, lines } = await release(['status', '--json', ...filter, '--endpoint-url', endpoint]);
      expect(code).toBe(0);
      return (JSON.parse(lines.join('\n')) as ReleaseStatus[]).map(({ image, outcome }) => `${image} ${outcome}`);
    };
    const all = await status();
    expect(all).toEqual(['demo/web:v3-bad ROLLED_BACK', 'demo/web:v2 SUCCEEDED']);
    expect(await status('--service', 'web', '--environment', 'staging')).toEqual(all);
    expect(await status('--service', 'web', '--environment', 'staging', '--limit', '1')).toEqual(all.slice(0, 1));
    expect(await status('--service', 'web', '--environment', 'production')).toEqual([]);
    expect(await status('--environment', 'staging')).toEqual(all);
  });

  it('`release status` without --json prints the same releases as a table', async () => {
    const { code, lines } = await release(['status', '--endpoint-url', endpoint]);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^ID\s+SERVICE\s+ENV\s+IMAGE\s+DIGEST\s+STATE\s+OUTCOME\s+DURATION$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(1, 4))).toEqual([
      ['web', 'staging', 'demo/web:v3-bad'],
      ['web', 'staging', 'demo/web:v2'],
    ]);
  });
});
