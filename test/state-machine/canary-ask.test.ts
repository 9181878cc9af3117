import { pushReleaseKey } from '../../src/release/record.ts';
import { clickEvent } from '../support/slack-events.ts';
import { alwaysDue, scriptedAnalysis, watching } from './canary-script.ts';
import { expireLock, lock, record, until, useReleaseMachine } from './release-machine.ts';
import { canaryService, startSandboxHarness } from './sandbox-harness.ts';

// A canary still short of data once its bake is over and its hook has been
// extended as far as the policy allows, whose policy says `onNoData: ask`
// (catalog services `shop` and `tardy`, under the old names `maxInconclusive:
// 1` and `onInconclusive: ask`: one minute of extension): the release asks in
// Slack through the approval machinery, answered by signed clicks to the real
// slack-command handler. Approve continues; a rejection or the timeout rolls back.
// ECS is the sandbox's: the 10% step bakes for as many analyses as its pace
// allows, then waits at its hook.

const harness = useReleaseMachine({
  start: (environment) => startSandboxHarness(environment, [canaryService('shop'), canaryService('tardy')]),
});
afterEach(async () => {
  await expireLock('shop#staging');
  await expireLock('tardy#staging');
});

let pushes = 700;
async function release(verdicts: Parameters<typeof scriptedAnalysis>[0], service = 'shop') {
  pushes++;
  const analysis = scriptedAnalysis(verdicts);
  const pushed = await harness.push(`demo/${service}`, `v${pushes}`);
  // ECR's event of the image's first push: the release is keyed by its digest.
  const releaseId = `${service}-staging-${pushReleaseKey(pushed.imageDigest)}`;
  const running = harness.run(pushed.event, {
    beforeTask: alwaysDue,
    stubTasks: { CheckRollout: watching(harness, analysis.stub) },
  });
  return { running, analysis, releaseId };
}

const QUESTION = /^Canary inconclusive: .* \(approval ([a-z2-9]{8})\)$/;

/** The approval id of the question the release posted, once it is posted. */
async function questionPosted(): Promise<string> {
  let id: string | undefined;
  await until(() => {
    const posted = harness.slack.calls.find(
      (m) => m.method === 'chat.postMessage' && QUESTION.test(String(m.args.text)),
    );
    id = QUESTION.exec(String(posted?.args.text ?? ''))?.[1];
    return id !== undefined;
  }, 'the canary question');
  return id ?? '';
}

/** A signed click on the question's button: what the clicker alone is told ('' when the answer was taken). */
async function click(actionId: 'approve' | 'reject', approvalId: string, user: string): Promise<string> {
  const sent = harness.slack.calls.length;
  const event = clickEvent({ actionId, value: approvalId, user }, harness.signingSecret);
  expect(await harness.invoke('slackCommand', event)).toMatchObject({ statusCode: 200 });
  return harness.slack.calls
    .slice(sent)
    .filter((m) => m.method === 'chat.postEphemeral')
    .map((m) => String(m.args.text))
    .join('\n');
}

const hookAnswers = (from: number) =>
  harness
    .requests('ContinueServiceDeployment')
    .slice(from)
    .map((input) => input.action);

const stops = (from: number) => harness.requests('StopServiceDeployment').slice(from);

/** Where each analysis's calls start: hooks answered and deployments stopped before the test. */
const callsNow = () => ({
  continues: harness.requests('ContinueServiceDeployment').length,
  stops: harness.requests('StopServiceDeployment').length,
});

const ASKED = ['CheckRollout', 'RolloutDecision', 'AskTimeout', 'AskToContinue'];

const ROLLED_BACK = ['Rollback', 'AwaitRollback', 'NotifyRolledBack', 'FinishRolledBack'];

describe('a canary short of data with onNoData: ask', () => {
  it('asks in Slack with the analysis’s reason; an approver’s Continue carries the release on to SUCCEEDED', async () => {
    const callsBefore = callsNow();
    // Inconclusive while the step bakes (wait), once at its hook (extend), once more there (ask); then passes.
    let answered = false;
    const { running, analysis, releaseId } = await release((input) => {
      if (answered) return 'pass';
      answered = input.rolloutStatus === 'PAUSED' && input.history?.extended === 1;
      return 'inconclusive';
    });

    const approvalId = await questionPosted();
    const question = harness.slack.calls.find((m) => String(m.args.text).includes(`(approval ${approvalId})`));
    expect(String(question?.args.text)).toContain('scripted inconclusive (error rate 30.0% vs 0.1%)');
    expect(JSON.stringify(question?.args.blocks)).toContain('"text":"Continue"');
    expect(JSON.stringify(question?.args.blocks)).toContain('"text":"Roll back"');
    // Continuing is an approver's call: neither a stranger nor a rollback holder may.
    expect(await click('approve', approvalId, 'U0STRANGER')).toMatch(/not an approver of shop\/staging/);
    expect(await click('approve', approvalId, 'U0ROLLER')).toMatch(/not an approver of shop\/staging/);
    expect(await click('approve', approvalId, 'U0APPROVER')).toBe('');

    const run = await running;
    expect(run.status).toBe('SUCCEEDED');
    const asked = run.states.indexOf('AskToContinue');
    expect(run.states.slice(asked - 3, asked + 4)).toEqual([
      ...ASKED,
      'CanaryContinued',
      'ContinueAfterAnswer',
      // Asked at the paused hook after the 10% step's bake: the answer continues it.
      'Advance',
    ]);
    // Never asked while the step baked: only at its hook, after one interval of extension.
    const baking = analysis.inputs.findIndex((input) => input.rolloutStatus === 'PAUSED');
    expect(baking).toBeGreaterThan(0);
    expect(analysis.inputs.slice(0, baking + 3).map((input) => [input.rolloutStatus, input.history?.extended])).toEqual(
      [...Array(baking).fill(['IN_PROGRESS', 0]), ['PAUSED', 0], ['PAUSED', 1], ['IN_PROGRESS', 0]],
    );
    expect(run.states.filter((state) => state === 'AskToContinue')).toHaveLength(1);
    expect(run.states).not.toContain('Rollback');
    expect(run.states.slice(-4)).toEqual(['Succeeded', 'Summarize', 'AnyFailed', 'Released']);
    expect(stops(callsBefore.stops)).toHaveLength(0);
    expect(hookAnswers(callsBefore.continues).every((answer) => answer === 'CONTINUE')).toBe(true);
    // After the answer, the inconclusive analyses in a row count from none again, as after a pass;
    // the release's count of analyses carries on across the step.
    expect(analysis.inputs[baking + 2]?.history).toEqual({ failures: 0, inconclusive: 0, extended: 0 });
    expect(analysis.inputs.map((input) => input.release?.analyses).slice(0, baking + 3)).toEqual(
      Array.from({ length: baking + 3 }, (_, n) => n),
    );
    expect(await record(releaseId)).toMatchObject({
      outcome: 'SUCCEEDED',
      decisions: [{ approvalId, verdict: 'APPROVED', by: 'U0APPROVER' }],
    });
    const updated = harness.slack.calls.filter((m) => m.method === 'chat.update').at(-1);
    expect(String(updated?.args.text)).toMatch(/^Continued by <@U0APPROVER>/);
  });

  it('rolls back, verified, when someone who may roll back answers Roll back', async () => {
    const callsBefore = callsNow();
    const { running, releaseId } = await release(['inconclusive']);

    const approvalId = await questionPosted();
    expect(await click('reject', approvalId, 'U0STRANGER')).toMatch(/not an approver of shop\/staging/);
    expect(await click('reject', approvalId, 'U0ROLLER')).toBe('');

    const run = await running;
    expect(run.status).toBe('FAILED');
    const asked = run.states.indexOf('AskToContinue');
    expect(run.states.slice(asked - 3, asked + 7)).toEqual([
      ...ASKED,
      'CloseCanaryApproval',
      'CanaryNotContinued',
      ...ROLLED_BACK,
    ]);
    expect(run.states.slice(-5)).toEqual(['FinishRolledBack', 'RolledBack', 'Summarize', 'AnyFailed', 'ReleaseFailed']);
    // ECS reached the next pause meanwhile: the rollback answers that hook with ROLLBACK.
    expect(hookAnswers(callsBefore.continues).at(-1)).toBe('ROLLBACK');
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringMatching(/CanaryAnalysisInconclusive: .*not continued: rejected by U0ROLLER at /),
      decisions: [{ approvalId, verdict: 'REJECTED', by: 'U0ROLLER' }],
    });
    expect(await lock('shop#staging')).not.toHaveProperty('holder');
    expect(await click('approve', approvalId, 'U0APPROVER')).toMatch(/already rejected by <@U0ROLLER>/);
  });

  it('rolls back when nobody answers before askTimeoutSeconds; a late Continue is told it expired', async () => {
    const callsBefore = callsNow();
    const { running, releaseId } = await release(['inconclusive'], 'tardy');

    const approvalId = await questionPosted();
    const run = await running;

    expect(run.status).toBe('FAILED');
    const asked = run.states.indexOf('AskToContinue');
    expect(run.states.slice(asked - 3, asked + 7)).toEqual([
      ...ASKED,
      'CloseCanaryApproval',
      'CanaryNotContinued',
      ...ROLLED_BACK,
    ]);
    expect(run.states).toContain('RolledBack');
    expect(hookAnswers(callsBefore.continues).at(-1)).toBe('ROLLBACK');
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringMatching(/not continued: nobody answered before /),
      decisions: [{ approvalId, verdict: 'EXPIRED', by: 'timeout' }],
    });
    const updated = harness.slack.calls.filter((m) => m.method === 'chat.update').at(-1);
    expect(String(updated?.args.text)).toMatch(/^Expired: nobody answered/);
    const before = harness.callbacks();
    expect(await click('approve', approvalId, 'U0APPROVER')).toMatch(/expired/);
    expect(harness.callbacks()).toEqual(before);
  });
});
