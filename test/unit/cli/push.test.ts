import { createHash } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { findReleaseExecution, parseImageArgument, syntheticManifest } from '../../../src/cli/push.ts';
import { resolveTarget } from '../../../src/cli/target.ts';
import { UsageError } from '../../../src/cli/usage.ts';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());

const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:release-automation-dev-release';
const execution = (name: string) =>
  `arn:aws:states:us-east-1:000000000000:execution:release-automation-dev-release:${name}`;
const pushInput = (tag: string, digest: string) =>
  JSON.stringify({
    source: 'aws.ecr',
    detail: { 'repository-name': 'demo/web', 'image-tag': tag, 'image-digest': digest },
  });

describe('release push', () => {
  it('takes repository:tag and refuses what ECR would refuse, saying what is wrong', () => {
    expect(parseImageArgument('demo/web:v2')).toEqual({ repository: 'demo/web', tag: 'v2' });
    expect(() => parseImageArgument('demo/web')).toThrow(/give the tag too/);
    expect(() => parseImageArgument('Demo:v2')).toThrow(UsageError);
    expect(() => parseImageArgument('demo/web:')).toThrow(/needs a tag/);
    expect(() => parseImageArgument(undefined)).toThrow(/push needs <repository>:<tag>/);
  });

  it('pushes the same digest for the same tag and another for another tag or repository', () => {
    // ECR names an image by the sha256 of its manifest.
    const digest = (repository: string, tag: string) =>
      `sha256:${createHash('sha256').update(syntheticManifest(repository, tag)).digest('hex')}`;
    expect(digest('demo/web', 'v2')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest('demo/web', 'v2')).toBe(digest('demo/web', 'v2'));
    expect(digest('demo/web', 'v2')).not.toBe(digest('demo/web', 'v3'));
    expect(digest('demo/web', 'v2')).not.toBe(digest('demo/api', 'v2'));
  });

  it('finds the release its push started, not an earlier release of the same digest', async () => {
    const pushedAt = new Date('2026-11-21T12:00:00Z');
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [
        {
          name: 'release-automation-dev-release',
          stateMachineArn: machine,
          type: 'STANDARD',
          creationDate: new Date(),
        },
      ],
    });
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: execution('other-tag'),
          stateMachineArn: machine,
          name: 'other-tag',
          status: 'RUNNING',
          startDate: new Date('2026-11-21T12:00:01Z'),
        },
        {
          executionArn: execution('this'),
          stateMachineArn: machine,
          name: 'this',
          status: 'RUNNING',
          startDate: new Date('2026-11-21T12:00:01Z'),
        },
        {
          executionArn: execution('yesterday'),
          stateMachineArn: machine,
          name: 'yesterday',
          status: 'SUCCEEDED',
          startDate: new Date('2026-11-20T12:00:00Z'),
        },
      ],
    });
    const inputs: Record<string, string> = {
      [execution('other-tag')]: pushInput('v2-retag', 'sha256:abc'),
      [execution('this')]: pushInput('v2', 'sha256:abc'),
      [execution('yesterday')]: pushInput('v2', 'sha256:abc'),
    };
    sfn
      .on(DescribeExecutionCommand)
      .callsFake(({ executionArn }: { executionArn: string }) => ({ input: inputs[executionArn] }));
    const target = resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});

    const found = await findReleaseExecution(target, { tag: 'v2', digest: 'sha256:abc', pushedAt });

    expect(found).toBe(execution('this'));
    const described = sfn.commandCalls(DescribeExecutionCommand).map((call) => call.args[0].input.executionArn);
    expect(described).not.toContain(execution('yesterday'));
  });
});

describe('release push --created --revision', () => {
  it('annotates the manifest and labels its config; without them the manifest is as before', async () => {
    const { pushAnnotations } = await import('../../../src/cli/push.ts');
    const annotations = pushAnnotations('2026-11-21T10:15:30Z', '1a2b3c4');
    expect(annotations).toEqual({
      'org.opencontainers.image.created': '2026-11-21T10:15:30.000Z',
      'org.opencontainers.image.revision': '1a2b3c4',
    });
    const manifest = JSON.parse(syntheticManifest('demo/web', 'v2', annotations));
    expect(manifest.annotations).toMatchObject(annotations);
    expect(syntheticManifest('demo/web', 'v2', {})).toBe(syntheticManifest('demo/web', 'v2'));
    expect(JSON.parse(syntheticManifest('demo/web', 'v2')).annotations).toEqual({
      'org.opencontainers.image.ref.name': 'v2',
    });
    expect(() => pushAnnotations('yesterday', undefined)).toThrow(/ISO 8601/);
    expect(() => pushAnnotations(undefined, 'not a sha')).toThrow(/commit sha/);
  });
});
