import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf, type SlackMessage } from '../../sandbox/slack/workspace.ts';
import { probe, startRelease, tagOf, untilNextSecond, waitForExecution } from '../../scripts/lib/releases.ts';
import { readStatus } from '../../src/cli/status.ts';
import { E2E_TIME_FACTOR, useReleaseSandbox } from './support/e2e.ts';

// The analysis's "ask" in the sandbox: the canary demo `shop` released under
// test/fixtures/catalog/canary-ask-sandbox.yml, where every analysis is
// inconclusive (it needs a million requests a side) and the policy says ask.
// The question reaches the Slack stub; signed clicks answer it as Slack would.

const rs = useReleaseSandbox({
  timeFactor: E2E_TIME_FACTOR,
  canaryDemo: true,
  environment: {
    RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/canary-ask-sandbox.yml', import.meta.url)),
  },
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// A question keeps its context line (what each command does) once answered; its text changes.
const isQuestion = (message: SlackMessage) => JSON.stringify(message.blocks ?? []).includes('(roll back)');
const questions = () => rs.sandbox.slack.messages().filter(isQuestion);
const pending = () => questions().filter((message) => buttonsOf(message.blocks).length > 0);
// A rolled-back release fails its execution (no output): its record says how it ended.
const recordOf = async (digest: string) =>
  (await readStatus(rs.target, { limit: 100 })).find((record) => record.digest === digest);
const served = async () => (await probe(rs.lbUrl('shop'), 4)).map((answer) => tagOf(answer.image));

/** The first question still showing its buttons, once one is posted. */
async function nextQuestion(): Promise<{ message: SlackMessage; approvalId: string }> {
  for (let i = 0; i < 600; i++) {
    const [message] = pending();
    const approvalId = buttonsOf(message?.blocks)[0]?.value;
    if (message && approvalId) return { message, approvalId };
    await pause(20);
  }
  throw new Error('no canary question arrived');
}

describe('an inconclusive canary with onInconclusive: ask, in the sandbox', () => {
  it('posts a Continue / Roll back question; the approver’s Continue (at each question) releases v2', async () => {
    const { executionArn } = await startRelease(rs.target, 'demo/shop', 'v2');
    const { message } = await nextQuestion();
    expect(message.text).toMatch(
      /^Canary inconclusive: the canary of shop v2 on staging: error rate not judged: \d+ canary and \d+ baseline requests, \d+ needed on each side.*Continue or roll back\?/,
    );
    expect(buttonsOf(message.blocks).map((button) => button.label)).toEqual(['Continue', 'Roll back']);
    expect(JSON.stringify(message.blocks)).toContain('error-rate');

    // Every analysis of this policy is inconclusive: each one asks, and each is continued.
    const ending = waitForExecution(rs.target, executionArn);
    let ended: Awaited<typeof ending> | undefined;
    void ending.then((result) => {
      ended = result;
    });
    while (ended === undefined) {
      const [open] = pending();
      const approvalId = buttonsOf(open?.blocks)[0]?.value;
      if (open && approvalId) {
        const clicked = await rs.sandbox.slack.clickButton(open.ts, 'approve', 'U0APPROVER', approvalId);
        expect(clicked.status).toBe(200);
      }
      await pause(20);
    }
    expect(ended.outcomes[0]).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(await served()).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(questions().length).toBeGreaterThan(0);
    expect(questions().every((question) => /^Continued by <@U0APPROVER>/.test(question.text ?? ''))).toBe(true);
  }, 60_000);

  it('rolls back when the approver answers Roll back: ROLLED_BACK, v2 still serves', async () => {
    await untilNextSecond();
    const before = questions().length;
    const { executionArn, digest } = await startRelease(rs.target, 'demo/shop', 'v3');
    const { message, approvalId } = await nextQuestion();
    expect((await rs.sandbox.slack.clickButton(message.ts, 'reject', 'U0APPROVER', approvalId)).status).toBe(200);

    expect((await waitForExecution(rs.target, executionArn)).status).toBe('FAILED');
    expect(await recordOf(digest)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringMatching(/not continued: rejected by U0APPROVER/),
    });
    expect(await served()).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(questions().length).toBe(before + 1);
    expect(questions().at(-1)?.text).toMatch(/^Rolled back by <@U0APPROVER>/);
  }, 60_000);

  it('rolls back when nobody answers within askTimeoutSeconds; a late Continue is told it expired', async () => {
    await untilNextSecond();
    const { executionArn, digest } = await startRelease(rs.target, 'demo/shop', 'v4');
    const { message, approvalId } = await nextQuestion();

    expect((await waitForExecution(rs.target, executionArn)).status).toBe('FAILED');
    expect(await recordOf(digest)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringMatching(/not continued: nobody answered before /),
    });
    expect(await served()).toEqual(['v2', 'v2', 'v2', 'v2']);
    const expired = questions().find((question) => question.ts === message.ts);
    expect(expired?.text).toMatch(/^Expired: nobody answered/);
    expect(buttonsOf(expired?.blocks)).toEqual([]);
    const late = await rs.sandbox.slack.sendCommand(`/release approve ${approvalId}`, 'U0APPROVER');
    expect(late.text).toMatch(/expired/);
  }, 60_000);
});
