import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoReleaseStore } from '../../src/release/adapters/release-store.ts';
import type { ControlAction } from '../../src/release/rollout-state.ts';
import { SUCCEEDED_AFTER_STABLE } from '../support/release-paths.ts';
import type { NativeStep } from '../support/scripted-ecs.ts';
import { alwaysDue, CANARY, scriptedAnalysis, type Verdict, watching } from './canary-script.ts';
import { pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import { answerSmoke, expireLock, record, slackEvents, useReleaseMachine, uuid } from './release-machine.ts';

// The canary paths of state-machines/release.asl.yml (catalog service `shop`:
// canary 10%, then the rest). ECS is scripted stage by stage (ScriptedEcs'
// `native`); canary-check's verdicts are scripted, its input parsed by its own
// schema and its decision made by the real decideAfterAnalysis.

const harness = useReleaseMachine({ locks: ['shop#staging'] });

// Blue/green (catalog service `checkout`): no shared step, all production traffic at once.
const BLUE_GREEN: NativeStep[] = [
  { stage: 'SCALE_UP' },
  { stage: 'POST_TEST_TRAFFIC_SHIFT', weight: 0, pause: true },
  { stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', weight: 0, pause: true },
  { stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 100 },
  { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', weight: 100, pause: true },
  { stage: 'BAKE_TIME', weight: 100, reads: 3 },
];

let pushes = 100;
async function release(verdicts: Verdict[], options: Parameters<Harness['run']>[1] = {}, service = 'shop') {
  pushes++;
  const analysis = scriptedAnalysis(verdicts);
  const event = pushEvent({
    id: uuid(pushes),
    repository: `demo/${service}`,
    tag: `v${pushes}`,
    digest: `sha256:${String(pushes).padStart(64, 'a')}`,
  });
  const { beforeTask = alwaysDue } = options;
  // CheckRollout analyses in the same task (watchRollout): `beforeTask` sees each analysis as 'CanaryCheck'.
  const analyse = watching(harness, analysis.stub, (request) => beforeTask('CanaryCheck', request));
  const run = await harness.run(event, {
    beforeTask,
    ...options,
    stubTasks: { CheckRollout: analyse, ...options.stubTasks },
  });
  return { run, analysis, releaseId: `${service}-staging-${uuid(pushes)}` };
}

const releaseStore = () =>
  createDynamoReleaseStore({
    client: DynamoDBDocumentClient.from(harness.dynamodb),
    releasesTable: harness.tables.RELEASES_TABLE ?? '',
    locksTable: harness.tables.LOCKS_TABLE ?? '',
  });

const hookAnswers = () =>
  harness.ecs.calls
    .filter((call) => call.command === 'ContinueServiceDeployment')
    .map((call) => (call.input as { action: string }).action);

describe('canary release state machine', () => {
  it('smoke-tests test traffic, analyses each shared step and promotes after the last hook', async () => {
    const callsBefore = harness.ecs.calls.length;
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysis, releaseId } = await release(['pass']);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states.slice(run.states.indexOf('DeployDecision'))).toEqual([
      'DeployDecision',
      'PrepareRollout',
      ...['CheckRollout', 'RolloutDecision'], // SCALE_UP: the first look at once, then the Wait it asks for
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'TestSmoke', 'Advance'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'], // no production traffic yet
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // an analysis
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // an analysis
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // an analysis
      'Advance',
      // 100%: all traffic on the new revision, judged against the stable one before the release.
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // an analysis
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'], // the hook after it: on to the bake
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // an analysis
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'],
      ...SUCCEEDED_AFTER_STABLE,
    ]);
    expect(harness.ecs.calls.slice(callsBefore).filter((c) => c.command === 'StopServiceDeployment')).toHaveLength(0);
    expect(hookAnswers().slice(-4)).toEqual(['CONTINUE', 'CONTINUE', 'CONTINUE', 'CONTINUE']);
    // Canary = the alternate target group, baseline = the primary, on the rule's load balancer.
    expect(analysis.inputs[0]).toMatchObject({
      loadBalancer: 'app/shop/0123456789abcdef',
      canaryTargetGroup: 'targetgroup/shop-green/fedcba9876543210',
      baselineTargetGroup: 'targetgroup/shop-blue/0123456789abcdef',
      // Everything since the deployment began (and the same start for every analysis): the window grows.
      window: { since: expect.any(Date) },
    });
    const shared = analysis.inputs.slice(0, 3);
    const starts = shared.map((input) => (input as { window: { since: Date } }).window.since.getTime());
    expect(new Set(starts).size).toBe(1);
    expect(shared.every((input) => !('baselineBefore' in input.window))).toBe(true);
    // After the last shift: the new revision since the hook before it (and then the bake's) was continued,
    // the stable one before the release began.
    const releaseStart = starts[0];
    const afterShift = analysis.inputs.slice(3) as { window: { since: Date; baselineBefore: Date } }[];
    expect(afterShift).toHaveLength(2);
    expect(afterShift.map((input) => input.window.baselineBefore.getTime())).toEqual([releaseStart, releaseStart]);
    // The shift's Advance came between the third analysis and the fourth, the bake's between the fourth and fifth.
    const [third, fourth, fifth] = analysis.calledAt.slice(2);
    const [shiftSince, bakeSince] = afterShift.map((input) => input.window.since.getTime());
    expect(shiftSince).toBeGreaterThanOrEqual(third ?? Number.NaN);
    expect(shiftSince).toBeLessThanOrEqual(fourth ?? Number.NaN);
    expect(bakeSince).toBeGreaterThanOrEqual(fourth ?? Number.NaN);
    expect(bakeSince).toBeLessThanOrEqual(fifth ?? Number.NaN);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'SUCCEEDED',
      analysis: { verdict: 'pass', decision: 'continue', reason: expect.stringContaining('scripted pass') },
    });
    expect(slackEvents().filter((text) => text.startsWith('Analysis of shop'))).toHaveLength(5);
    // CheckRollout's notice (notify's) kept each analysis on the record, its figures as canary-check gave them.
    const kept = await record(releaseId);
    expect(kept?.analysesRecorded).toBe(5);
    expect(kept?.analyses).toHaveLength(5);
    expect(kept?.analyses?.[0]).toEqual({
      verdict: 'pass',
      decision: 'continue',
      reason: 'scripted pass (error rate 30.0% vs 0.1%)',
      window: { start: expect.any(String), end: expect.any(String) },
      metrics: [
        { metric: 'error-rate', verdict: 'pass', reason: 'scripted', canary: { requests: 100, errors: 30, rate: 0.3 } },
      ],
    });
  });

  it('looks again when CheckRollout asks: at the next analysis due while a step bakes, a 15 s poll elsewhere', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });
    const looks: string[] = [];
    const analysis = scriptedAnalysis(['pass']);
    const watch = watching(harness, analysis.stub);
    const checkRollout = async (input: unknown) => {
      const result = await watch(input);
      const { next, waitSeconds } = result.stability;
      looks.push(`${next ?? 'done'} ${waitSeconds ?? '–'}`);
      return result;
    };

    const { run } = await release(['pass'], { stubTasks: { CheckRollout: checkRollout } });

    expect(run.status).toBe('SUCCEEDED');
    // Each look but the last is followed by WaitForRollout, which waits its waitSeconds (SecondsPath).
    expect(looks).toEqual([
      'wait 15', // scaling up: nothing to analyse, the old poll
      'smoke 15', // test traffic: the next hook comes at once
      'continue 60', // into production traffic: its first analysis is an interval away
      ...['analyse 60', 'analyse 60', 'analyse 60'], // the 10% step (the last at its hook)
      'analyse 60', // all traffic on the new revision
      'continue 60', // on to the bake
      'analyse 60',
      'done –', // SUCCESSFUL: no more waiting
    ]);
    expect(run.states.filter((state) => state === 'WaitForRollout')).toHaveLength(looks.length - 1);
  });

  it('takes the rollback path when ECS rolls the deployment back itself while a step bakes', async () => {
    // ECS's own rollback (its alarms or circuit breaker) in the middle of the 10% step.
    const failing = { stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 10, status: 'ROLLBACK_SUCCESSFUL' as const };
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: [...CANARY.slice(0, 3), failing] });

    const { run, analysis, releaseId } = await release(['pass']);

    expect(run.status).toBe('FAILED');
    expect(analysis.inputs).toHaveLength(0);
    const failedAt = run.states.lastIndexOf('CheckRollout');
    expect(run.states.slice(failedAt, failedAt + 4)).toEqual([
      'CheckRollout',
      'Rollback',
      'AwaitRollback',
      'NotifyRolledBack',
    ]);
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringContaining('DeploymentFailedError'),
    });
  });

  it('rolls back by answering the hook when the canary fails its analysis before the next step', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, releaseId } = await release(['pass', 'pass', 'fail']);

    expect(run.status).toBe('FAILED');
    expect(run.states.slice(-12)).toEqual(
      ['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'AnalysisFailed', 'Rollback', 'AwaitRollback']
        .concat(['NotifyRolledBack'])
        .concat(['FinishRolledBack', 'RolledBack', 'Summarize', 'AnyFailed', 'ReleaseFailed'])
        .slice(-12),
    );
    expect(run.states).toContain('AnalysisFailed');
    expect(hookAnswers().at(-1)).toBe('ROLLBACK');
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringContaining('CanaryAnalysisFailed: scripted fail'),
      analysis: { verdict: 'fail', decision: 'rollback' },
    });
  });

  it('stops a canary failing while its step bakes, before the next pause', async () => {
    const callsBefore = harness.ecs.calls.length;
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysis } = await release(['fail']);

    expect(run.status).toBe('FAILED');
    expect(analysis.inputs).toHaveLength(1);
    const calls = harness.ecs.calls.slice(callsBefore);
    expect(calls.filter((c) => c.command === 'StopServiceDeployment').map((c) => c.input)).toEqual([
      { serviceDeploymentArn: harness.ecs.deployments.at(-1)?.arn, stopType: 'ROLLBACK' },
    ]);
    // Two hooks continued (test traffic, first shift); the one after the bake was never reached.
    expect(calls.filter((c) => c.command === 'ContinueServiceDeployment')).toHaveLength(2);
    expect(run.states).toEqual(expect.arrayContaining(['AnalysisFailed', 'Rollback', 'RolledBack']));
  });

  it('rolls back a canary that turns bad after all traffic moved to it, during the final bake', async () => {
    const callsBefore = harness.ecs.calls.length;
    // A bake long enough to be analysed while ECS still runs both revisions.
    const native = [...CANARY.slice(0, -1), { stage: 'BAKE_TIME', weight: 100, reads: 3 }];
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native });

    const { run, analysis, releaseId } = await release(['pass', 'pass', 'pass', 'pass', 'fail']);

    expect(run.status).toBe('FAILED');
    expect(analysis.inputs).toHaveLength(5);
    expect(analysis.inputs[4]?.window).toEqual({ since: expect.any(Date), baselineBefore: expect.any(Date) });
    // Stopped while baking (no hook to answer): ECS switches production traffic back to the stable revision.
    const calls = harness.ecs.calls.slice(callsBefore);
    expect(calls.filter((c) => c.command === 'StopServiceDeployment').map((c) => c.input)).toEqual([
      { serviceDeploymentArn: harness.ecs.deployments.at(-1)?.arn, stopType: 'ROLLBACK' },
    ]);
    expect(calls.filter((c) => c.command === 'ContinueServiceDeployment')).toHaveLength(4);
    expect(await record(releaseId)).toMatchObject({ outcome: 'ROLLED_BACK', analysis: { verdict: 'fail' } });
  });

  it.each<[Verdict, string, string]>([
    ['pass', 'SUCCEEDED', 'Succeeded'],
    ['fail', 'FAILED', 'RolledBack'],
  ])(
    'judges a blue/green release in its bake (%s), against the stable revision before the release',
    async (verdict, status, end) => {
      harness.ecs.play({ deployments: [['SUCCESSFUL']], native: BLUE_GREEN });

      const { run, analysis, releaseId } = await release([verdict], {}, 'checkout');

      expect(run.status).toBe(status);
      expect(run.states).toContain(end);
      expect(analysis.inputs.length).toBeGreaterThan(0);
      for (const input of analysis.inputs) {
        expect(input).toMatchObject({
          canaryTargetGroup: 'targetgroup/checkout-green/fedcba9876543210',
          baselineTargetGroup: 'targetgroup/checkout-blue/0123456789abcdef',
          window: { since: expect.any(Date), baselineBefore: expect.any(Date) },
        });
      }
      expect(await record(releaseId)).toMatchObject({ analysis: { verdict } });
    },
  );

  it('waits for more data after an inconclusive analysis, then promotes on a pass', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysis } = await release(['inconclusive', 'pass']);

    expect(run.status).toBe('SUCCEEDED');
    expect(analysis.inputs.map((input) => input.history).slice(0, 3)).toEqual([
      { failures: 0, inconclusive: 0, extended: 0 },
      { failures: 0, inconclusive: 1, extended: 0 },
      { failures: 0, inconclusive: 0, extended: 0 },
    ]);
    expect(run.states).not.toContain('Rollback');
  });

  it('rolls back before any production traffic when the smoke checks fail on test traffic', async () => {
    answerSmoke(500);
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysis, releaseId } = await release(['pass']);

    expect(run.status).toBe('FAILED');
    expect(run.states.slice(run.states.indexOf('TestSmoke'), run.states.indexOf('TestSmoke') + 2)).toEqual([
      'TestSmoke',
      'Rollback',
    ]);
    expect(analysis.inputs).toHaveLength(0);
    expect(hookAnswers().at(-1)).toBe('ROLLBACK');
    expect(await record(releaseId)).toMatchObject({ outcome: 'ROLLED_BACK', reason: expect.stringMatching(/smoke/i) });
  });

  it.each<[ControlAction, string]>([
    ['abort', 'ROLLED_BACK'],
    ['promote', 'SUCCEEDED'],
  ])('acts on %s asked mid-release, recording who asked', async (action, outcome) => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });
    const store = releaseStore();
    let asked = '';
    const askOnce = async (state: string, input: unknown) => {
      alwaysDue(state, input);
      if (state !== 'CanaryCheck' || asked !== '') return;
      const releaseId = (input as { releaseId?: string }).releaseId ?? `shop-staging-${uuid(pushes)}`;
      asked = await store.requestControl('shop#staging', {
        action,
        releaseId,
        requestedBy: 'alice',
        requestedAt: new Date().toISOString(),
      });
    };

    const { run, analysis, releaseId } = await release(['pass'], { beforeTask: askOnce });

    expect(asked).toBe('ACCEPTED');
    expect(analysis.inputs).toHaveLength(1);
    expect(run.states).toContain(action === 'abort' ? 'Aborted' : 'Succeeded');
    if (action === 'abort') {
      // Asked during the 10% bake: the next look (the Wait CheckRollout asked for, then CheckRollout) rolls back.
      const abortedAt = run.states.indexOf('Aborted');
      expect(run.states.slice(abortedAt - 5, abortedAt + 2)).toEqual([
        ...['CheckRollout', 'RolloutDecision', 'WaitForRollout', 'CheckRollout', 'RolloutDecision'],
        ...['Aborted', 'Rollback'],
      ]);
    }
    expect(await record(releaseId)).toMatchObject({
      outcome,
      control: { action, requestedBy: 'alice' },
      ...(action === 'abort' ? { reason: expect.stringContaining('aborted by alice') } : {}),
    });
  });

  it("renews the target's lease at each look at the rollout, so bakes longer than one lease keep the target", async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });
    const store = releaseStore();
    const leases: { state: string; expiresAt: string }[] = [];
    const readLease = async (state: string, input: unknown) => {
      alwaysDue(state, input);
      const expiresAt = (await store.readLock('shop#staging'))?.holder?.expiresAt;
      if (expiresAt !== undefined && ['CheckRollout', 'CanaryCheck'].includes(state)) leases.push({ state, expiresAt });
    };

    const { run } = await release(['pass'], { beforeTask: readLease });

    expect(run.status).toBe('SUCCEEDED');
    // Read before each task and each analysis: the lease an analysis sees is the one its look set, later than the last.
    const seenByChecks = leases.filter((lease) => lease.state === 'CanaryCheck').map((lease) => lease.expiresAt);
    expect(seenByChecks.length).toBeGreaterThanOrEqual(3);
    const first = leases[0]?.expiresAt ?? '';
    expect(seenByChecks.every((expiresAt) => expiresAt > first)).toBe(true);
    expect([...seenByChecks].sort()).toEqual(seenByChecks);
    expect(new Set(seenByChecks).size).toBe(seenByChecks.length);
  });

  it('rolls back when another release has taken the target (its lease ran out unrenewed)', async () => {
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });
    const store = releaseStore();
    let taken = false;
    const takeOver = async (state: string, input: unknown) => {
      alwaysDue(state, input);
      if (state !== 'CanaryCheck' || taken) return;
      taken = true;
      await expireLock('shop#staging');
      const lock = await store.readLock('shop#staging');
      await store.acquireLock('shop#staging', {
        releaseId: 'shop-staging-other',
        executionId: 'exec-other',
        tag: 'v999',
        expiresAt: '2099-01-01T00:00:00.000Z',
        order: lock?.latest?.order ?? '',
        now: new Date().toISOString(),
      });
    };

    const { run, releaseId } = await release(['pass'], { beforeTask: takeOver });

    expect(taken).toBe(true);
    expect(run.status).toBe('FAILED');
    expect(run.states).toEqual(expect.arrayContaining(['Rollback', 'RolledBack']));
    expect(await record(releaseId)).toMatchObject({
      outcome: 'ROLLED_BACK',
      reason: expect.stringContaining('LockLostError'),
    });
  });

  it('raises the loud alert when ECS cannot roll a failing canary back', async () => {
    harness.ecs.play({
      deployments: [['SUCCESSFUL']],
      native: CANARY,
      stopRollback: ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED'],
    });

    const { run, releaseId } = await release(['fail']);

    expect(run.status).toBe('FAILED');
    expect(run.states).toEqual(
      expect.arrayContaining(['AnalysisFailed', 'Rollback', 'NotifyRollbackFailed', 'RollbackFailed']),
    );
    expect(slackEvents().some((text) => text.startsWith('MANUAL ACTION NEEDED'))).toBe(true);
    expect(await record(releaseId)).toMatchObject({ outcome: 'ROLLBACK_FAILED' });
  });
});
