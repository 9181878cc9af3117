import { approvalIdFor } from '../../src/approvals/id.ts';
import { UP_TO_APPROVAL } from '../support/release-paths.ts';
import { clickEvent, commandEvent, replyOf } from '../support/slack-events.ts';
import { digestOf, pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import { lock, machine, record, until, useReleaseMachine, uuid } from './release-machine.ts';

// The approval step of state-machines/release.asl.yml for environments with
// `approval: slack` (test/fixtures/catalog/state-machine.yml: gate and lapse),
// answered through the real slack-command handler with signed requests.

useReleaseMachine();
let harness: Harness;
beforeAll(() => {
  harness = machine();
});

const slash = async (line: string, user: string) =>
  replyOf(await harness.invoke('slackCommand', commandEvent(line, user, harness.signingSecret)));

const approvalPosted = (approvalId: string) =>
  until(
    () => harness.slack.calls.some((m) => m.method === 'chat.postMessage' && String(m.args.text).includes(approvalId)),
    `the approval message of ${approvalId}`,
  );

const THROUGH_APPROVAL = [...UP_TO_APPROVAL, 'ApprovalTimeout', 'RequestApproval'];
/** Not approved (rejected or timed out): the approval closed, nothing deployed. */
const NOT_APPROVED = [
  ...THROUGH_APPROVAL,
  'CloseApproval',
  'FinishNotApproved',
  'NotApproved',
  'Summarize',
  'AnyFailed',
  'Released',
];

describe('the approval step', () => {
  it('waits for an approver: a stranger is refused, the approver’s click releases it, a second approval is told who decided', async () => {
    const id = uuid(901);
    const releaseId = `gate-production-${id}`;
    const approvalId = approvalIdFor(releaseId);
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });
    const running = harness.run(pushEvent({ id, repository: 'demo/gate', tag: 'v2', digest: digestOf(2) }));
    await approvalPosted(approvalId);
    const before = harness.callbacks();

    expect((await slash(`/release approve ${approvalId}`, 'U0STRANGER')).text).toMatch(
      /not an approver of gate\/production/,
    );
    expect(harness.callbacks()).toEqual(before);

    const click = await harness.invoke(
      'slackCommand',
      clickEvent({ actionId: 'approve', value: approvalId, user: 'U0APPROVER' }, harness.signingSecret),
    );
    expect(click).toMatchObject({ statusCode: 200 });
    expect((await slash(`/release approve ${approvalId}`, 'U0GROUPIE')).text).toMatch(
      /already approved by <@U0APPROVER> at /,
    );

    const run = await running;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states.slice(0, THROUGH_APPROVAL.length + 1)).toEqual([...THROUGH_APPROVAL, 'Deploy']);
    expect(run.states).toContain('Succeeded');
    expect(harness.callbacks().success - before.success).toBe(1);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'SUCCEEDED',
      decisions: [{ approvalId, verdict: 'APPROVED', by: 'U0APPROVER' }],
    });
    // The approval message was posted in the release's thread and then shown as approved, without its buttons.
    const posted = harness.slack.calls.find(
      (m) => m.method === 'chat.postMessage' && String(m.args.text).includes(approvalId),
    );
    expect(posted?.args.thread_ts).toBe(harness.slack.calls[0]?.answer?.ts);
    const updated = harness.slack.calls.filter((m) => m.method === 'chat.update').at(-1);
    expect(String(updated?.args.text)).toMatch(/^Approved by <@U0APPROVER>/);
    expect(JSON.stringify(updated?.args.blocks)).not.toContain('"actions"');
  });

  it('ends as NOT_APPROVED, deploying nothing, when an approver rejects; the lock is released', async () => {
    const id = uuid(902);
    const releaseId = `gate-production-${id}`;
    const approvalId = approvalIdFor(releaseId);
    const updatesBefore = harness.ecs.count('UpdateService');
    const running = harness.run(pushEvent({ id, repository: 'demo/gate', tag: 'v3', digest: digestOf(3) }));
    await approvalPosted(approvalId);

    const reply = await slash(`/release reject ${approvalId} not during the sale`, 'U0GROUPIE');
    expect(reply.text).toMatch(/^Rejected gate/);

    const run = await running;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(NOT_APPROVED);
    expect(harness.ecs.count('UpdateService')).toBe(updatesBefore);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'NOT_APPROVED',
      reason: expect.stringMatching(/rejected by U0GROUPIE at .*: not during the sale/),
      decisions: [{ approvalId, verdict: 'REJECTED', by: 'U0GROUPIE', reason: 'not during the sale' }],
    });
    expect(await lock('gate#production')).not.toHaveProperty('holder');
    expect((await slash(`/release approve ${approvalId}`, 'U0APPROVER')).text).toMatch(
      /already rejected by <@U0GROUPIE>/,
    );
  });

  it('times out as NOT_APPROVED: the message says expired and a late approval is told so', async () => {
    const id = uuid(903);
    const releaseId = `lapse-production-${id}`;
    const approvalId = approvalIdFor(releaseId);
    const run = await harness.run(pushEvent({ id, repository: 'demo/lapse', tag: 'v4', digest: digestOf(4) }));

    expect(run.states).toEqual(NOT_APPROVED);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'NOT_APPROVED',
      reason: expect.stringMatching(/^not approved: nobody approved it before /),
      decisions: [{ approvalId, verdict: 'EXPIRED', by: 'timeout' }],
    });
    expect(await lock('lapse#production')).not.toHaveProperty('holder');
    const updated = harness.slack.calls.filter((m) => m.method === 'chat.update').at(-1);
    expect(String(updated?.args.text)).toMatch(/^Expired/);
    const before = harness.callbacks();
    expect((await slash(`/release approve ${approvalId}`, 'U0APPROVER')).text).toMatch(/expired/);
    expect(harness.callbacks()).toEqual(before);
  });

  it('keeps whoever asked from approving their own release (two-person rule), and lets someone else', async () => {
    expect((await slash('/release deploy gate v5', 'U0APPROVER')).text).toMatch(/Deploying gate\/production to `v5`/);
    const input = harness.started.at(-1) as { releases: { releaseId: string; requestedBy: unknown }[] };
    const releaseId = input.releases[0]?.releaseId ?? '';
    expect(input.releases[0]?.requestedBy).toEqual({ name: 'U0APPROVER', slackUserId: 'U0APPROVER' });
    const approvalId = approvalIdFor(releaseId);
    harness.ecs.play({ deployments: [['SUCCESSFUL']] });
    const running = harness.run(input);
    await approvalPosted(approvalId);
    const before = harness.callbacks();

    expect((await slash(`/release approve ${approvalId}`, 'U0APPROVER')).text).toMatch(/two-person rule/);
    expect(harness.callbacks()).toEqual(before);
    expect((await slash(`/release approve ${approvalId}`, 'U0GROUPIE')).text).toMatch(/^Approved gate/);

    const run = await running;
    expect(run.states).toContain('Succeeded');
    expect(harness.callbacks().success - before.success).toBe(1);
  });
});
