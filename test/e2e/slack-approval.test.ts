import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf, type SlackMessage } from '../../sandbox/slack/workspace.ts';
import {
  executionsWith,
  probe,
  startRelease,
  tagOf,
  untilNextSecond,
  waitForExecution,
} from '../../scripts/lib/releases.ts';
import { pushImage } from '../../src/cli/push.ts';
import { E2E_TIME_FACTOR, release, useReleaseSandbox } from './support/e2e.ts';

// Issue 9 in the sandbox, the Slack half: production releases of the demo
// `web` (test/fixtures/catalog/slack-sandbox.yml) wait for an approval in the
// Slack stub, given or refused by signed requests to the slack-command
// function URL, as Slack would send them.

const rs = useReleaseSandbox({
  timeFactor: E2E_TIME_FACTOR,
  environment: {
    RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/slack-sandbox.yml', import.meta.url)),
  },
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest approval message with buttons, once the stub holds one that `seen` did not. */
async function nextApprovalMessage(seen: ReadonlySet<string>): Promise<{ message: SlackMessage; approvalId: string }> {
  for (let i = 0; i < 600; i++) {
    const message = rs.sandbox.slack
      .messages()
      .find((candidate) => !seen.has(candidate.ts) && buttonsOf(candidate.blocks).length > 0);
    const approvalId = buttonsOf(message?.blocks)[0]?.value;
    if (message && approvalId) return { message, approvalId };
    await pause(50);
  }
  throw new Error('no approval message arrived');
}
const seen = new Set<string>();
const approvalMessage = async () => {
  const found = await nextApprovalMessage(seen);
  seen.add(found.message.ts);
  return found;
};
const served = async () => (await probe(rs.lbUrl(), 4)).map((answer) => tagOf(answer.image));

describe('production releases wait for an approval in Slack', () => {
  it('a pushed v2 waits; a stranger is refused; the approver’s click releases it', async () => {
    const { executionArn } = await startRelease(rs.target, 'demo/web', 'v2');
    const { message, approvalId } = await approvalMessage();
    expect(message.text).toMatch(/^Approval needed: web v2 to production/);
    expect(buttonsOf(message.blocks).map((button) => button.label)).toEqual(['Approve', 'Reject']);

    expect((await rs.sandbox.slack.sendCommand(`/release approve ${approvalId}`, 'U0STRANGER')).text).toMatch(
      /not an approver/,
    );
    expect((await rs.sandbox.slack.clickButton(message.ts, 'approve', 'U0APPROVER', approvalId)).status).toBe(200);

    const ended = await waitForExecution(rs.target, executionArn);
    expect(ended.outcomes[0]).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(await served()).toEqual(['v2', 'v2', 'v2', 'v2']);
    const updated = rs.sandbox.slack.messages().find((candidate) => candidate.ts === message.ts);
    expect(updated?.text).toMatch(/^Approved by <@U0APPROVER>/);
    expect(buttonsOf(updated?.blocks)).toEqual([]);
  }, 60_000);

  it('a pushed v3 rejected by `/release reject` is not released: NOT_APPROVED, v2 still serves', async () => {
    await untilNextSecond();
    const { executionArn } = await startRelease(rs.target, 'demo/web', 'v3');
    const { approvalId } = await approvalMessage();
    // Through the CLI, as a person playing the sandbox would.
    const reply = await release([
      'slack',
      `/release reject ${approvalId} wait for Monday`,
      '--user',
      'U0APPROVER',
      '--endpoint-url',
      rs.sandbox.endpoint,
    ]);
    expect(reply).toEqual({ code: 0, lines: [expect.stringMatching(/^Rejected web `v3` to production/)] });

    const ended = await waitForExecution(rs.target, executionArn);
    expect(ended.outcomes[0]).toMatchObject({ outcome: 'NOT_APPROVED' });
    expect(await served()).toEqual(['v2', 'v2', 'v2', 'v2']);
    const history = await rs.sandbox.slack.sendCommand('/release history web', 'U0STRANGER');
    expect(history.text).toMatch(/rejected by <@U0APPROVER> at .*: wait for Monday/);
  }, 60_000);

  it('`/release deploy web hf-1 production --hotfix` releases after another person clicks Approve (release slack --click)', async () => {
    await untilNextSecond();
    // hf-… tags are not released on push (the environment's tag filter): only by the command.
    await pushImage(rs.target, 'demo/web', 'hf-1');
    const asked = await rs.sandbox.slack.sendCommand('/release deploy web hf-1 production --hotfix', 'U0DEPLOYER');
    expect(asked.text).toMatch(/^Hotfixing web\/production to `hf-1`/);
    const { approvalId } = await approvalMessage();
    const clicked = await release([
      'slack',
      '--click',
      'approve',
      approvalId,
      '--user',
      'U0APPROVER',
      '--endpoint-url',
      rs.sandbox.endpoint,
    ]);
    expect(clicked.code).toBe(0);

    const [execution] = await executionsWith(rs.target, '"trigger":{"source":"slack-command"', 1);
    const ended = await waitForExecution(rs.target, execution ?? '');
    expect(ended.outcomes[0]).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(await served()).toEqual(['hf-1', 'hf-1', 'hf-1', 'hf-1']);
  }, 60_000);

  it('`/release rollback web` returns production to the last good release, v2', async () => {
    await untilNextSecond();
    const asked = await rs.sandbox.slack.sendCommand('/release rollback web', 'U0DEPLOYER');
    expect(asked.text).toMatch(/^Rolling back web\/production to `v2`/);
    const { approvalId } = await approvalMessage();
    await rs.sandbox.slack.sendCommand(`/release approve ${approvalId}`, 'U0APPROVER');

    for (let i = 0; i < 600 && (await served()).some((tag) => tag !== 'v2'); i++) await pause(100);
    expect(await served()).toEqual(['v2', 'v2', 'v2', 'v2']);
    const status = await release(['status', '--json', '--endpoint-url', rs.sandbox.endpoint]);
    expect(status.lines.join('\n')).toMatch(/"outcome": "SUCCEEDED"/);
  }, 60_000);

  it('a request not signed with the sandbox’s secret is refused with 401', async () => {
    const url = rs.sandbox.functionUrls.slackCommand ?? '';
    const response = await fetch(url, { method: 'POST', body: 'text=approve+abc&user_id=U0APPROVER' });
    expect(response.status).toBe(401);
  });
});
