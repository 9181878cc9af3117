import { ContinueServiceDeploymentCommand, StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import {
  awaitingHook,
  describeNative,
  PIPELINE_HOOKS,
  pausedAt,
  sample,
  useNativeWorld,
  waitForNative,
} from '../support/native-world.ts';

// ECS's CANARY strategy in the sandbox, through the SDK v3 ECS client: the
// lifecycle stages, PAUSE hooks held until ContinueServiceDeployment, the
// production split as users meet it through the load balancer, and
// rollbacks that are traffic switches back to a still-running blue.

const native = useNativeWorld();

describe('a CANARY deployment with PAUSE hooks', () => {
  it('walks the stages, pauses at each hook, splits production traffic by the canary percent and ends SUCCESSFUL', async () => {
    const { ecs } = native;
    const shop = await native.service('canary1', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        { targetType: 'PAUSE', lifecycleStages: ['PRE_SCALE_UP', 'POST_SCALE_UP'] },
        ...(PIPELINE_HOOKS ?? []),
      ],
    });
    const lb = shop.loadBalancer;
    const testUrl = lb.native?.testUrl ?? '';
    const { serviceDeploymentArn: arn } = await native.release('canary1', 'v2');
    const cont = async (action: 'CONTINUE' | 'ROLLBACK' = 'CONTINUE') => {
      const hookId = awaitingHook(await describeNative(ecs, arn));
      await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action }));
      return hookId;
    };

    const preScaleUp = await waitForNative(ecs, arn, pausedAt('PRE_SCALE_UP'));
    expect(preScaleUp.deployment.status).toBe('IN_PROGRESS');
    expect(preScaleUp.deployment.lifecycleHookDetails).toEqual([
      expect.objectContaining({ targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' }),
    ]);
    // Paused means paused: a few ticks later green has still not started.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const held = await describeNative(ecs, arn);
    expect(held.lifecycleStage).toBe('PRE_SCALE_UP');
    expect(held.targetServiceRevision?.runningTaskCount ?? 0).toBe(0);
    await cont();
    const scaledUp = await waitForNative(ecs, arn, pausedAt('POST_SCALE_UP'));
    expect(scaledUp.deployment.targetServiceRevision?.runningTaskCount).toBe(2);
    expect(await sample(testUrl, 20)).toEqual({ v1: 20 });
    await cont();

    const first = await waitForNative(ecs, arn, pausedAt('POST_TEST_TRAFFIC_SHIFT'));
    expect(first.deployment.targetServiceRevision?.requestedTestTrafficWeight).toBe(100);
    expect(await sample(testUrl, 20)).toEqual({ v2: 20 });
    expect(await sample(lb.url, 20)).toEqual({ v1: 20 });

    const firstHook = await cont();
    const beforeCanary = await waitForNative(ecs, arn, pausedAt('PRE_PRODUCTION_TRAFFIC_SHIFT'));
    expect(beforeCanary.deployment.targetServiceRevision?.requestedProductionTrafficWeight).toBe(0);
    await cont();
    // The canary step (10%) has no bake: the next pause is before the 100% step, with a new hook id.
    const during = await waitForNative(
      ecs,
      arn,
      (d) =>
        pausedAt('PRE_PRODUCTION_TRAFFIC_SHIFT')(d) && d.targetServiceRevision?.requestedProductionTrafficWeight === 10,
    );
    expect(awaitingHook(during.deployment)).not.toBe(firstHook);
    expect(during.deployment.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight).toBe(90);
    const split = await sample(lb.url, 1000);
    expect((split.v1 ?? 0) + (split.v2 ?? 0)).toBe(1000);
    expect(Math.abs((split.v2 ?? 0) / 10 - 10)).toBeLessThanOrEqual(5);

    await cont();
    await waitForNative(ecs, arn, pausedAt('POST_PRODUCTION_TRAFFIC_SHIFT'));
    expect(await sample(lb.url, 50)).toEqual({ v2: 50 });
    await cont();
    const done = await waitForNative(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(done.deployment.lifecycleStage).toBe('CLEAN_UP');
    expect(done.deployment.sourceServiceRevisions?.[0]?.runningTaskCount).toBe(0);
    expect(await sample(lb.url, 50)).toEqual({ v2: 50 });
  });

  it('rolls back at a hook: all production traffic on blue at once, then ROLLBACK_SUCCESSFUL', async () => {
    const { ecs } = native;
    const shop = await native.service('canary2', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 50, canaryBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    const { serviceDeploymentArn: arn } = await native.release('canary2', 'v2-err30');
    await waitForNative(ecs, arn, pausedAt('PRE_PRODUCTION_TRAFFIC_SHIFT'));
    await ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId: awaitingHook(await describeNative(ecs, arn)),
      }),
    );
    const canary = await waitForNative(
      ecs,
      arn,
      (d) =>
        pausedAt('PRE_PRODUCTION_TRAFFIC_SHIFT')(d) && d.targetServiceRevision?.requestedProductionTrafficWeight === 50,
    );
    expect((await sample(shop.loadBalancer.url, 200))['v2-err30']).toBeGreaterThan(0);

    const hookId = awaitingHook(canary.deployment);
    await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'ROLLBACK' }));
    expect(await sample(shop.loadBalancer.url, 200)).toEqual({ v1: 200 });
    const after = await describeNative(ecs, arn);
    expect(after.lifecycleHookDetails?.find((h) => h.hookId === hookId)?.status).toBe('FAILED');
    expect(after.status).toMatch(/^ROLLBACK_/);
    const done = await waitForNative(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.deployment.targetServiceRevision?.runningTaskCount).toBe(0);
    expect(done.deployment.rollback?.serviceRevisionArn).toBe(done.deployment.sourceServiceRevisions?.[0]?.arn);
    expect(await sample(shop.loadBalancer.url, 50)).toEqual({ v1: 50 });
  });

  it('StopServiceDeployment ROLLBACK mid-bake switches production back to blue at once', async () => {
    const { ecs } = native;
    const shop = await native.service('canary3', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 30, canaryBakeTimeInMinutes: 60 },
      bakeTimeInMinutes: 0,
    });
    const { serviceDeploymentArn: arn } = await native.release('canary3', 'v2');
    await waitForNative(
      ecs,
      arn,
      (d) =>
        d.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' &&
        d.targetServiceRevision?.requestedProductionTrafficWeight === 30,
    );
    expect((await sample(shop.loadBalancer.url, 200)).v2).toBeGreaterThan(0);
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    expect(await sample(shop.loadBalancer.url, 200)).toEqual({ v1: 200 });
    const done = await waitForNative(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.deployment.targetServiceRevision?.runningTaskCount).toBe(0);
  });
});
