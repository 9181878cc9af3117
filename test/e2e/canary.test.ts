import { CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  ContinueServiceDeploymentCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DEFAULT_TIME_FACTOR } from '../../sandbox/index.ts';
import { startTraffic } from '../../sandbox/traffic/generator.ts';
import { CANARY_SERVICE, type CanaryScenarioResult, canaryScenario, trafficSpan } from '../../scripts/lib/canary.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../../scripts/lib/release-sandbox.ts';
import { analysisOf } from '../../src/cli/canary-progress.ts';
import { readHistory } from '../../src/cli/history.ts';
import { syntheticManifest } from '../../src/cli/push.ts';
import { awaitingHook, describeNative, pausedAt, waitForNative } from '../sandbox/support/native-world.ts';

// The canary demo end to end: the sandbox's `shop` (ECS's CANARY strategy,
// 10% for 5 minutes, PAUSE hooks) behind its load balancer, with demo traffic.
// The release state machine answers the PAUSE hooks with canary-check's
// decisions; the traffic split is checked through ECS alone.

// Each interval is 3 s at 0.05: at 40 requests/s (and the demo's own 20), a
// 10% canary gets ~18 requests per interval to be judged on.
const TRAFFIC_PER_SECOND = 40;

let rs: ReleaseSandbox;
beforeAll(async () => {
  rs = await startReleaseSandbox({ canaryDemo: true, timeFactor: DEFAULT_TIME_FACTOR });
}, 60_000);
afterAll(() => rs?.stop());

/** The analyses a canary release ran, from its execution's history. */
const analysesOf = async (result: CanaryScenarioResult) =>
  (await readHistory(rs.target, result.executionArn)).flatMap((event) => analysisOf(event) ?? []);

describe('the canary demo', () => {
  it("splits production traffic by the canary's weight: across 1000 requests during the paused 10% step, 10% ± 5 points", async () => {
    // Driven through the ECS API alone, with an image from a repository no catalog entry releases (no release starts).
    const repositoryName = 'demo/shop-direct';
    const { repository } = await rs.target.ecr.send(new CreateRepositoryCommand({ repositoryName }));
    await rs.target.ecr.send(
      new PutImageCommand({ repositoryName, imageTag: 'v2', imageManifest: syntheticManifest(repositoryName, 'v2') }),
    );
    const [service] =
      (await rs.ecs.send(new DescribeServicesCommand({ cluster: 'sandbox', services: [CANARY_SERVICE] }))).services ??
      [];
    const { taskDefinition } = await rs.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }),
    );
    const containers = (taskDefinition?.containerDefinitions ?? []).map((container) => ({
      ...container,
      image: `${repository?.repositoryUri}:v2`,
    }));
    const registered = await rs.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: taskDefinition?.family,
        networkMode: taskDefinition?.networkMode,
        requiresCompatibilities: taskDefinition?.requiresCompatibilities,
        cpu: taskDefinition?.cpu,
        memory: taskDefinition?.memory,
        executionRoleArn: taskDefinition?.executionRoleArn,
        containerDefinitions: containers,
      }),
    );
    const updated = await rs.ecs.send(
      new UpdateServiceCommand({
        cluster: 'sandbox',
        service: CANARY_SERVICE,
        taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      }),
    );
    const arn = updated.service?.currentServiceDeployment ?? '';
    const answer = async () =>
      rs.ecs.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: arn,
          hookId: awaitingHook(await describeNative(rs.ecs, arn)),
        }),
      );
    // Test traffic, then before the canary step; after it (5 nominal minutes), paused before the last step at 10%.
    await waitForNative(rs.ecs, arn, pausedAt('POST_TEST_TRAFFIC_SHIFT'));
    await answer();
    await waitForNative(rs.ecs, arn, pausedAt('PRE_PRODUCTION_TRAFFIC_SHIFT'));
    await answer();
    const step = await waitForNative(
      rs.ecs,
      arn,
      (d) =>
        pausedAt('PRE_PRODUCTION_TRAFFIC_SHIFT')(d) && d.targetServiceRevision?.requestedProductionTrafficWeight === 10,
    );
    expect(step.deployment.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight).toBe(90);

    const traffic = startTraffic({ url: rs.lbUrl(CANARY_SERVICE), ratePerSecond: 200, recordAnswers: true });
    while ((traffic.counts().answers ?? []).length < 1000) await new Promise((resolve) => setTimeout(resolve, 50));
    const answers = (await traffic.stop()).answers?.slice(0, 1000) ?? [];
    const split = trafficSpan(answers, `${repositoryName}:v2`, 0, Number.POSITIVE_INFINITY);
    expect(split.answers).toBe(1000);
    // The canary (a plain v2) fails nothing; the stable revision is the noisy baseline (0.5% errors): ~5 of 900.
    const canaryErrors = answers.filter((a) => a.image === `${repositoryName}:v2` && a.status !== '200');
    expect(canaryErrors).toEqual([]);
    expect(split.errors).toBeLessThanOrEqual(25);
    expect(Math.abs(split.canaryShare * 100 - 10)).toBeLessThanOrEqual(5);
    // Still paused at 10% after the 1000 answers: they all came from the step.
    expect((await describeNative(rs.ecs, arn)).targetServiceRevision?.requestedProductionTrafficWeight).toBe(10);

    await rs.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId: awaitingHook(await describeNative(rs.ecs, arn)),
        action: 'ROLLBACK',
      }),
    );
    await waitForNative(rs.ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
  }, 60_000);

  it('a canary failing 30% of requests is rolled back within two analysis intervals of its first production traffic; users see at most its share of errors', async () => {
    const result = await canaryScenario(rs, { tag: 'v2-err30', trafficPerSecond: TRAFFIC_PER_SECOND });
    expect(result.outcome).toBe('ROLLED_BACK');
    const exposure = result.exposure;
    if (exposure === undefined) {
      await expectCaughtBeforeAnyUser(result);
      return;
    }
    // Within two analysis intervals: rolled back by its second analysis at the latest. Counted, not timed:
    // a busy machine stretches the wall clock the exposure is measured on, not the analyses (the bench
    // prints the exposure in intervals beside Flagger's).
    const analyses = await analysesOf(result);
    expect(analyses.length).toBeLessThanOrEqual(2);
    expect(analyses.at(-1)?.verdict).toBe('fail');
    // Production is back on the stable revision: nothing but it answers after the canary's last answer.
    const after = (result.counts.answers ?? []).filter((answer) => answer.at > exposure.to);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((answer) => result.stableImages.includes(answer.image))).toBe(true);
    expect(exposure.errorRate).toBeLessThanOrEqual(0.1);
  }, 120_000);

  it('a healthy canary is promoted, judged after 100% too against the stable revision before the release', async () => {
    const result = await canaryScenario(rs, { tag: 'v2', trafficPerSecond: TRAFFIC_PER_SECOND });
    expect(result.outcome).toBe('SUCCEEDED');
    const analyses = (await readHistory(rs.target, result.executionArn)).flatMap((event) => analysisOf(event) ?? []);
    const afterShift = analyses.filter((analysis) =>
      analysis.reason.startsWith('all traffic on the new revision, against the stable revision before the release: '),
    );
    expect(afterShift.length).toBeGreaterThan(0);
    expect(afterShift.every((analysis) => analysis.verdict === 'pass')).toBe(true);
    // The error rate is judged at once; latency's sequential test needs six periods a side, which the
    // demo's two-minute bake may not reach, so it is judged or, short of them, pending (never failing).
    expect(afterShift.at(-1)?.reason).toMatch(/error rate .* no significant increase; latency (median|pending)/);
    const last = (result.counts.answers ?? []).slice(-20);
    expect(last.every((answer) => answer.image === result.canaryImage && answer.status === '200')).toBe(true);
    expect(Math.abs((result.step?.canaryShare ?? 0) * 100 - 10)).toBeLessThanOrEqual(5);
  }, 120_000);

  it('after a promotion (ECS swapped the target groups), the next failing canary is still judged against production and rolled back', async () => {
    const result = await canaryScenario(rs, { tag: 'v3-err30', trafficPerSecond: TRAFFIC_PER_SECOND });
    expect(result.outcome).toBe('ROLLED_BACK');
    if (result.exposure === undefined) {
      await expectCaughtBeforeAnyUser(result);
      return;
    }
    // Judged against production's target group, not the one ECS swapped away: its first analyses fail it
    // (counted, not timed: on a busy machine fewer requests reach each analysis, and the wall clock stretches).
    const analyses = await analysesOf(result);
    expect(analyses.length).toBeLessThanOrEqual(3);
    expect(analyses.at(-1)?.verdict).toBe('fail');
  }, 120_000);
});

/**
 * A 30%-error canary that no request of this test's traffic reached was still caught early: by the
 * test listener's smoke check (the demo app's errors are random, so its attempts can all fail), or
 * by a failed analysis within two, judged on the sandbox's own demo traffic before this test's
 * requests (slower on a busy machine) met the canary. Either way no user here saw its errors.
 */
async function expectCaughtBeforeAnyUser(result: CanaryScenarioResult): Promise<void> {
  expect(result.counts.firstAnswerAt[result.canaryImage]).toBeUndefined();
  const history = await readHistory(rs.target, result.executionArn);
  const entered = history.flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
  const analyses = history.flatMap((event) => analysisOf(event) ?? []);
  if (analyses.length === 0) expect(entered).toContain('TestSmoke');
  else {
    expect(analyses.length).toBeLessThanOrEqual(2);
    expect(analyses.at(-1)?.verdict).toBe('fail');
  }
}
