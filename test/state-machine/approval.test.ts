import { approvalIdFor } from '../../src/approvals/id.ts';
import { pushReleaseKey } from '../../src/release/record.ts';
import { UP_TO_APPROVAL } from '../support/release-paths.ts';
import { clickEvent, commandEvent, replyOf } from '../support/slack-events.ts';
import { lock, record, until, useReleaseMachine } from './release-machine.ts';
import { startSandboxHarness } from './sandbox-harness.ts';

// The approval step of state-machines/release.asl.yml for environments with
// `approval: slack` (test/fixtures/catalog/state-machine.yml: gate and lapse),
// answered through the real slack-command handler with signed requests. ECS
// and ECR are the sandbox's; each release is of an image's first push, keyed by its digest.

const harness = useReleaseMachine({
  start: (environment) =>
    startSandboxHarness(environment, [
      { service: 'gate', repository: 'demo/gate' },
      { service: 'lapse', repository: 'demo/lapse' },
    ]),
});

/** Pushes `repository:tag` to ECR: ECR's push event and the release id it makes for `service`'s production. */
const push = async (repository: string, tag: string, service: string) => {
  const pushed = await harness.push(repository, tag);
  return { event: pushed.event, releaseId: `${service}-production-${pushReleaseKey(pushed.imageDigest)}` };
};

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
    const { event, releaseId } = await push('demo/gate', 'v2', 'gate');
    const approvalId = approvalIdFor(releaseId);
    const running = harness.run(event);
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
    // The approver's click, and the deployment's wait answered once (AwaitStability).
    expect(harness.callbacks().success - before.success).toBe(2);
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
    const { event, releaseId } = await push('demo/gate', 'v3', 'gate');
    const approvalId = approvalIdFor(releaseId);
    const updatesBefore = harness.requests('UpdateService').length;
    const running = harness.run(event);
    await approvalPosted(approvalId);

    const reply = await slash(`/release reject ${approvalId} not during the sale`, 'U0GROUPIE');
    expect(reply.text).toMatch(/^Rejected gate/);

    const run = await running;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(NOT_APPROVED);
    expect(harness.requests('UpdateService').length).toBe(updatesBefore);
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
    const { event, releaseId } = await push('demo/lapse', 'v4', 'lapse');
    const approvalId = approvalIdFor(releaseId);
    const run = await harness.run(event);

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
    await harness.push('demo/gate', 'v5');
    expect((await slash('/release deploy gate v5', 'U0APPROVER')).text).toMatch(/Deploying gate\/production to `v5`/);
    const input = harness.started.at(-1) as { releases: { releaseId: string; requestedBy: unknown }[] };
    const releaseId = input.releases[0]?.releaseId ?? '';
    expect(input.releases[0]?.requestedBy).toEqual({ name: 'U0APPROVER', slackUserId: 'U0APPROVER' });
    const approvalId = approvalIdFor(releaseId);
    const running = harness.run(input);
    await approvalPosted(approvalId);
    const before = harness.callbacks();

    expect((await slash(`/release approve ${approvalId}`, 'U0APPROVER')).text).toMatch(/two-person rule/);
    expect(harness.callbacks()).toEqual(before);
    expect((await slash(`/release approve ${approvalId}`, 'U0GROUPIE')).text).toMatch(/^Approved gate/);

    const run = await running;
    expect(run.states).toContain('Succeeded');
    // The approver's click, and the deployment's wait answered once (AwaitStability).
    expect(harness.callbacks().success - before.success).toBe(2);
  });
});
