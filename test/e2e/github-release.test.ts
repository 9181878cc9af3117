import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SANDBOX_GITHUB_WEBHOOK_SECRET } from '../../sandbox/index.ts';
import { buttonsOf, readableText, type SlackMessage } from '../../sandbox/slack/workspace.ts';
import { digestOfImage, liveRevision } from '../../scripts/lib/ecs-state.ts';
import { probe, tagOf, waitForExecution } from '../../scripts/lib/releases.ts';
import { gitHubReleaseIdOf, sendGitHubRelease } from '../../src/cli/github-release.ts';
import { pushImage } from '../../src/cli/push.ts';
import type { PlanResult } from '../../src/release/release.ts';
import { E2E_TIME_FACTOR, release, useReleaseSandbox } from './support/e2e.ts';

// Issue 9's GitHub side, end to end on a fresh sandbox with the demo's
// production (web-production, released from GitHub releases of example/web):
// `release github-release` signs GitHub's webhook with the sandbox's secret and
// sends it to the github-webhook function URL; the release state machine
// plans the image of that tag by digest and waits for an approval in the Slack
// stub (its message shows the GitHub facts); U0APPROVER's signed click
// releases it, a signed `/release reject` of the next one deploys nothing (the
// timeout path: slack-approval-timeout.test.ts). The blocks run in order, one story.

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
// The id GitHub gives the release of v7 (the CLI's stand-in: one release per tag): it names the release.
const RELEASE_ID = `web-production-github-${gitHubReleaseIdOf('example/web', 'v7')}`;
const COMMIT = '9f2c3a1e0b8d4c6f7a5e3d2c1b0a9f8e7d6c5b4a';

/** The approval message of `tag` with its buttons, once the Slack stub shows it. */
async function approvalMessage(tag = 'v7'): Promise<{ message: SlackMessage; approvalId: string }> {
  for (let i = 0; i < 600; i++) {
    const message = rs.sandbox.slack
      .messages()
      .find((candidate) => candidate.text?.startsWith(`Approval needed: web ${tag} to production`));
    const approvalId = buttonsOf(message?.blocks)[0]?.value;
    if (message && approvalId) return { message, approvalId };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no approval message for ${tag} arrived`);
}

/** The tags web-production's load balancer serves, over four requests. */
const served = async () => (await probe(rs.lbUrl('web-production'), 4)).map((answer) => tagOf(answer.image));

// Everything the sandbox's functions write (Powertools' JSON lines) goes through
// stdout, WARN and ERROR through stderr: kept for the test to search, not
// printed; anything else passes.
const written: string[] = [];
beforeAll(async () => {
  endpoint = rs.sandbox.endpoint;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return String(chunk).startsWith('{"level"') ? true : write(chunk, ...rest);
    }) as typeof stream.write);
  }
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
      releaseId: RELEASE_ID,
      target: { service: 'web', environment: 'production', ecsService: 'web-production' },
      image: {
        repository: 'demo/web',
        tag: 'v7',
        digest,
        uri: expect.stringMatching(new RegExp(`/demo/web@${digest}$`)),
      },
      trigger: { source: 'github-release', eventId: RELEASE_ID.slice('web-production-'.length) },
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

  it('waits for an approval in Slack that shows the reviewer the release and its GitHub facts', async () => {
    const { message, approvalId } = await approvalMessage();
    expect(message.text).toBe(`Approval needed: web v7 to production (approval ${approvalId})`);
    const facts = readableText({ blocks: message.blocks });
    for (const fact of [
      '*Service* / web',
      '*Environment* / production',
      '*Tag* / `v7`',
      `*Digest* / \`${digest.slice('sha256:'.length, 'sha256:'.length + 12)}\``,
      `*Commit* / \`${COMMIT.slice(0, 12)}\``,
      '*Release* / <https://github.com/example/web/releases/tag/v7|v7>',
      '*Asked by* / octocat',
      '*Running now* / web-production:1, not released by this tool',
    ]) {
      expect(facts).toContain(fact);
    }
    expect(buttonsOf(message.blocks)).toEqual([
      { label: 'Approve', actionId: 'approve', value: approvalId },
      { label: 'Reject', actionId: 'reject', value: approvalId },
    ]);
    // Nothing deploys while it waits.
    expect((await liveRevision(rs.productionEcs, 'web-production')).taskDefinitionArn).toMatch(/web-production:1$/);
  }, 30_000);

  it('is refused to one who is not an approver, then released by U0APPROVER’s signed click', async () => {
    const { message, approvalId } = await approvalMessage();
    const stranger = await rs.sandbox.slack.sendCommand(`/release approve ${approvalId}`, 'U0STRANGER');
    expect(stranger.text).toMatch(/not an approver/);
    expect((await rs.sandbox.slack.clickButton(message.ts, 'approve', 'U0APPROVER', approvalId)).status).toBe(200);

    const ended = await waitForExecution(rs.target, execution);
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.outcomes).toEqual([expect.objectContaining({ outcome: 'SUCCEEDED' })]);
    const production = await liveRevision(rs.productionEcs, 'web-production');
    expect(digestOfImage(production.image)).toBe(digest);
    expect(production.taskDefinitionArn).toMatch(/:task-definition\/web-production:2$/);
    expect(await served()).toEqual(['v7', 'v7', 'v7', 'v7']);
    const updated = rs.sandbox.slack.messages().find((candidate) => candidate.ts === message.ts);
    expect(updated?.text).toBe('Approved by <@U0APPROVER>: web v7 to production');
    expect(buttonsOf(updated?.blocks)).toEqual([]);
    const record = await rs.target.releases.readRelease(RELEASE_ID);
    expect(record?.decisions).toEqual([expect.objectContaining({ by: 'U0APPROVER', verdict: 'APPROVED' })]);
  }, 60_000);

  it('answers the same signed release sent again, under its delivery id or any other, as a duplicate: nothing starts', async () => {
    const executions = () =>
      rs.sandbox.stateMachines.stateMachines().flatMap((machine) => rs.sandbox.stateMachines.executionsOf(machine.arn))
        .length;
    const before = executions();
    for (const delivery of [DELIVERY, 'replay-1', 'replay-1', 'replay-2']) {
      const { code, lines: output } = await release([
        'github-release',
        'example/web',
        'v7',
        '--delivery',
        delivery,
        '--endpoint-url',
        endpoint,
      ]);
      expect({ code, output }).toEqual({
        code: 0,
        output: [
          `delivery ${delivery}: HTTP 200 duplicate: release v7 of example/web (GitHub release ${RELEASE_ID.slice('web-production-github-'.length)}) was taken already, as ${RELEASE_ID}; nothing new starts`,
        ],
      });
    }
    // Deliveries start executions asynchronously: give one the time a real one takes to show.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(executions()).toBe(before);
    expect((await liveRevision(rs.productionEcs, 'web-production')).taskDefinitionArn).toMatch(/web-production:2$/);
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
    expect((await liveRevision(rs.productionEcs, 'web-production')).taskDefinitionArn).toMatch(/web-production:2$/);
  }, 60_000);

  it('a GitHub release of v9 rejected in Slack deploys nothing: NOT_APPROVED, the lock let go, the message updated', async () => {
    const v9 = await pushImage(rs.target, 'demo/web', 'v9');
    const { lines: output } = await release(['github-release', 'example/web', 'v9', '--endpoint-url', endpoint]);
    const rejected = /^release started: (arn:\S+)$/.exec(output[1] ?? '')?.[1] ?? '';
    const { message, approvalId } = await approvalMessage('v9');
    // What runs there now: v7, released above.
    expect(readableText({ blocks: message.blocks })).toContain(
      `*Running now* / \`v7\` \`${digest.slice(7, 19)}\`, released `,
    );
    expect(readableText({ blocks: message.blocks })).toContain(`*Digest* / \`${v9.slice(7, 19)}\``);
    const reply = await rs.sandbox.slack.sendCommand(`/release reject ${approvalId} not on a Friday`, 'U0APPROVER');
    expect(reply.text).toMatch(/^Rejected web `v9` to production/);

    const ended = await waitForExecution(rs.target, rejected);
    expect(ended.outcomes).toEqual([expect.objectContaining({ outcome: 'NOT_APPROVED' })]);
    expect((await liveRevision(rs.productionEcs, 'web-production')).taskDefinitionArn).toMatch(/web-production:2$/);
    expect(await served()).toEqual(['v7', 'v7', 'v7', 'v7']);
    expect((await rs.target.releases.readLock('web#production'))?.holder).toBeUndefined();
    const updated = rs.sandbox.slack.messages().find((candidate) => candidate.ts === message.ts);
    expect(updated?.text).toBe('Rejected by <@U0APPROVER>: web v9 to production');
    expect(buttonsOf(updated?.blocks)).toEqual([]);
    const watched = await release(['watch', rejected, '--endpoint-url', endpoint]);
    expect(watched.lines.join('\n')).toMatch(/RequestApproval[\s\S]*NOT_APPROVED/);
    const status = await release(['status', '--endpoint-url', endpoint]);
    expect(status.lines.join('\n')).toMatch(/web\s+production\s+demo\/web:v9\s.*NOT_APPROVED/);
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
