import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SANDBOX_GITHUB_WEBHOOK_SECRET } from '../../sandbox/index.ts';
import { digestOfImage, liveRevision } from '../../scripts/lib/ecs-state.ts';
import { waitForExecution } from '../../scripts/lib/releases.ts';
import { sendGitHubRelease } from '../../src/cli/github-release.ts';
import { pushImage } from '../../src/cli/push.ts';
import type { PlanResult } from '../../src/domain/release.ts';
import { E2E_TIME_FACTOR, release, useReleaseSandbox } from './support/e2e.ts';

// Issue 9's GitHub side, end to end on a fresh sandbox with the demo's
// production (web-production, released from GitHub releases of example/web):
// `release github-release` signs GitHub's webhook with the sandbox's secret and
// sends it to the github-webhook function URL; the release state machine
// releases the image of that tag to web-production by digest. The blocks run
// in order, one story.

const lines: string[] = [];
const rs = useReleaseSandbox({
  timeFactor: E2E_TIME_FACTOR,
  productionDemo: true,
  functionLogs: true,
  print: (line) => lines.push(line),
});
let endpoint = '';
let digest = '';
let execution = '';
const DELIVERY = '5f0c3e6a-1b2c-4d5e-8f90-0a1b2c3d4e5f';

// Everything the sandbox's functions write (Powertools' JSON lines) goes through stdout.
const written: string[] = [];
beforeAll(async () => {
  endpoint = rs.sandbox.endpoint;
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stdout.write);
  digest = await pushImage(rs.target, 'demo/web', 'v7');
});

afterAll(() => {
  jest.restoreAllMocks();
});

/** The plan the execution made (its Plan state's output). */
async function planOf(executionArn: string): Promise<PlanResult> {
  const { events = [] } = await rs.target.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  for (;;) {
    const exited = events.find((event) => event.stateExitedEventDetails?.name === 'Plan');
    if (exited?.stateExitedEventDetails?.output) return JSON.parse(exited.stateExitedEventDetails.output) as PlanResult;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await rs.target.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    events.splice(0, events.length, ...(again.events ?? []));
  }
}

describe('a published GitHub release, sent by `release github-release`', () => {
  it('is accepted by the webhook and starts a release execution', async () => {
    const { code, lines: output } = await release([
      'github-release',
      'example/web',
      'v7',
      '--delivery',
      DELIVERY,
      '--endpoint-url',
      endpoint,
    ]);
    expect(output[0]).toBe(`delivery ${DELIVERY}: HTTP 202 release v7 of example/web accepted`);
    execution = /^release started: (arn:\S+)$/.exec(output[1] ?? '')?.[1] ?? '';
    expect({ code, execution }).toEqual({ code: 0, execution: expect.stringContaining(':execution:') });
  }, 30_000);

  it('plans web-production only, pinned to the digest of demo/web:v7, with the GitHub facts', async () => {
    const plan = await planOf(execution);
    expect(plan.refusedTargets).toEqual([]);
    expect(plan.releases).toHaveLength(1);
    expect(plan.releases[0]).toMatchObject({
      releaseId: `web-production-${DELIVERY}`,
      target: { service: 'web', environment: 'production', ecsService: 'web-production' },
      image: {
        repository: 'demo/web',
        tag: 'v7',
        digest,
        uri: expect.stringMatching(new RegExp(`/demo/web@${digest}$`)),
      },
      trigger: { source: 'github-release', eventId: DELIVERY },
      source: {
        kind: 'github-release',
        repository: 'example/web',
        tag: 'v7',
        author: 'octocat',
        url: 'https://github.com/example/web/releases/tag/v7',
        deliveryId: DELIVERY,
        prerelease: false,
      },
    });
  }, 30_000);

  it('releases v7 to web-production by digest, leaving staging to pushes', async () => {
    const ended = await waitForExecution(rs.target, execution);
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.outcomes).toEqual([expect.objectContaining({ outcome: 'SUCCEEDED' })]);
    const production = await liveRevision(rs.ecs, 'web-production');
    expect(digestOfImage(production.image)).toBe(digest);
    expect(production.taskDefinitionArn).toMatch(/:task-definition\/web-production:2$/);
  }, 60_000);

  it('makes no second release when GitHub redelivers the same delivery', async () => {
    const { code, lines: output } = await release([
      'github-release',
      'example/web',
      'v7',
      '--delivery',
      DELIVERY,
      '--endpoint-url',
      endpoint,
    ]);
    expect(code).toBe(0);
    const again = /^release started: (arn:\S+)$/.exec(output[1] ?? '')?.[1] ?? '';
    expect(again).not.toBe(execution);
    const ended = await waitForExecution(rs.target, again);
    expect(ended.outcomes).toEqual([expect.objectContaining({ outcome: 'DUPLICATE' })]);
    expect((await liveRevision(rs.ecs, 'web-production')).taskDefinitionArn).toMatch(/web-production:2$/);
  }, 60_000);

  it('fails a release whose tag names no image, and says why in Slack', async () => {
    const { code, lines: output } = await release(['github-release', 'example/web', 'v8', '--endpoint-url', endpoint]);
    expect(code).toBe(0);
    const refused = /^release started: (arn:\S+)$/.exec(output[1] ?? '')?.[1] ?? '';
    const ended = await waitForExecution(rs.target, refused);
    expect(ended.status).toBe('FAILED');
    expect(rs.sandbox.slack.messages()).toContainEqual(
      expect.objectContaining({
        channelName: '#releases',
        text: expect.stringContaining('no image demo/web:v8 in the registry'),
      }),
    );
    expect((await liveRevision(rs.ecs, 'web-production')).taskDefinitionArn).toMatch(/web-production:2$/);
  }, 60_000);

  it('refuses a delivery signed with another secret: 401, and no execution starts', async () => {
    const before = rs.sandbox.stateMachines
      .stateMachines()
      .flatMap((machine) => rs.sandbox.stateMachines.executionsOf(machine.arn)).length;
    const answer = await sendGitHubRelease(rs.sandbox.functionUrls.githubWebhook ?? '', 'a-guessed-secret', {
      repository: 'example/web',
      tag: 'v7',
    });
    expect(answer).toMatchObject({ status: 401, body: 'Unauthorized' });
    // Deliveries start executions asynchronously: give one the time a real one takes to show.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = rs.sandbox.stateMachines
      .stateMachines()
      .flatMap((machine) => rs.sandbox.stateMachines.executionsOf(machine.arn)).length;
    expect(after).toBe(before);
  });

  it('writes the webhook secret in no log line', () => {
    expect(written.join('')).toContain('"GitHub release published"');
    expect(written.join('')).not.toContain(SANDBOX_GITHUB_WEBHOOK_SECRET);
    expect(lines.join('\n')).not.toContain(SANDBOX_GITHUB_WEBHOOK_SECRET);
  });
});
