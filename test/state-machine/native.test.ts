import { canaryCheckRequestSchema } from '../../src/domain/canary-check-schema.ts';
import { decideAfterAnalysis, NO_HISTORY } from '../../src/domain/canary-decision.ts';
import type { NativeStep } from '../support/scripted-ecs.ts';
import { pushEvent } from './events.ts';
import type { Harness } from './harness.ts';
import {
  answerSmoke,
  expireLock,
  lock,
  machine,
  record,
  slackEvents,
  useReleaseMachine,
  uuid,
} from './release-machine.ts';

// The canary paths of state-machines/release.asl.yml (catalog service `shop`:
// canary 10%, then the rest). ECS is scripted stage by stage (ScriptedEcs'
// `native`); canary-check's verdicts are scripted, its input parsed by its own
// schema and its decision made by the real decideAfterAnalysis.

useReleaseMachine();
let harness: Harness;
beforeAll(() => {
  harness = machine();
});
afterEach(async () => {
  await expireLock('shop#staging');
});

type Verdict = 'pass' | 'fail' | 'inconclusive';

const CANARY: NativeStep[] = [
  { stage: 'SCALE_UP' },
  { stage: 'POST_TEST_TRAFFIC_SHIFT', weight: 0, pause: true },
  { stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', weight: 0, pause: true },
  { stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 10, reads: 2 },
  { stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', weight: 10, pause: true },
  { stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 100 },
  { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', weight: 100, pause: true },
  { stage: 'BAKE_TIME', weight: 100 },
];

/** Canary-check answering `verdicts` in turn (the last repeats); records each input it was given. */
function scriptedAnalysis(verdicts: Verdict[]) {
  const inputs: ReturnType<typeof canaryCheckRequestSchema.parse>[] = [];
  const stub = (raw: unknown) => {
    const input = canaryCheckRequestSchema.parse(raw);
    const verdict = verdicts[Math.min(inputs.length, verdicts.length - 1)] ?? 'pass';
    inputs.push(input);
    const { decision, history } = decideAfterAnalysis(verdict, input.history ?? NO_HISTORY, input.policy);
    const end = new Date();
    return {
      verdict,
      decision,
      reason: `scripted ${verdict} (error rate 30.0% vs 0.1%)`,
      metrics: [{ metric: 'error-rate', verdict, reason: 'scripted' }],
      history,
      window: { start: new Date(end.getTime() - 60_000).toISOString(), end: end.toISOString() },
    };
  };
  return { inputs, stub };
}

// The tests do not wait an analysis interval in real time: every check finds the canary due.
const alwaysDue = (state: string, input: unknown) => {
  if (state === 'CheckRollout') (input as { native: { since: string } }).native.since = '2000-01-01T00:00:00.000Z';
};

let pushes = 100;
async function release(steps: NativeStep[], verdicts: Verdict[], options: Parameters<Harness['run']>[1] = {}) {
  pushes++;
  const analysis = scriptedAnalysis(verdicts);
  const event = pushEvent({
    id: uuid(pushes),
    repository: 'demo/shop',
    tag: `v${pushes}`,
    digest: `sha256:${String(pushes).padStart(64, 'a')}`,
  });
  const run = await harness.run(event, {
    beforeTask: alwaysDue,
    ...options,
    stubTasks: { CanaryCheck: analysis.stub, ...options.stubTasks },
  });
  return { run, analysis, releaseId: `shop-staging-${uuid(pushes)}` };
}

const hookAnswers = () =>
  harness.ecs.calls
    .filter((call) => call.command === 'ContinueServiceDeployment')
    .map((call) => (call.input as { action: string }).action);

describe('canary release state machine', () => {
  it('smoke-tests test traffic, analyses each shared step and promotes after the last hook', async () => {
    const callsBefore = harness.ecs.calls.length;
    harness.ecs.play({ deployments: [['SUCCESSFUL']], native: CANARY });

    const { run, analysis, releaseId } = await release(CANARY, ['pass']);

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states.slice(run.states.indexOf('DeployDecision'))).toEqual([
      'DeployDecision',
      'PrepareRollout',
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // SCALE_UP
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'TestSmoke', 'Advance'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'], // no production traffic yet
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'CanaryCheck', 'NotifyAnalysis', 'AnalysisDecision'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'CanaryCheck', 'NotifyAnalysis', 'AnalysisDecision'],
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'CanaryCheck', 'NotifyAnalysis', 'AnalysisDecision'],
      'Advance',
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // 100%
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision', 'Advance'], // all traffic on one side: nothing to compare
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'], // bake time
      ...['WaitForRollout', 'CheckRollout', 'RolloutDecision'],
      'SmokeTest',
      'NotifySucceeded',
      'FinishSucceeded',
      'Succeeded',
      'Summarize',
      'AnyFailed',
      'Released',
    ]);
    expect(harness.ecs.calls.slice(callsBefore).filter((c) => c.command === 'StopServiceDeployment')).toHaveLength(0);
    expect(hookAnswers().slice(-4)).toEqual(['CONTINUE', 'CONTINUE', 'CONTINUE', 'CONTINUE']);
    // Canary = the alternate target group, baseline = the primary, on the rule's load balancer.
    expect(analysis.inputs[0]).toMatchObject({
      loadBalancer: 'app/shop/0123456789abcdef',
      canaryTargetGroup: 'targetgroup/shop-green/fedcba9876543210',
      baselineTargetGroup: 'targetgroup/shop-blue/0123456789abcdef',
      window: { seconds: 60 },
    });
    expect(await record(releaseId)).toMatchObject({
      outcome: 'SUCCEEDED',
      analysis: { verdict: 'pass', decision: 'continue', reason: expect.stringContaining('scripted pass') },
    });
    expect(slackEvents().filter((text) => text.startsWith('Analysis of shop'))).toHaveLength(3);
  });
});
