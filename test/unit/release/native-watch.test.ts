import { describe, expect, it } from '@jest/globals';
import { pastScaleUp, watchNative } from '../../../src/release/native-watch.ts';
import type { ServiceDeployment } from '../../../src/release/ports/ecs.ts';
import type { NativeWatch } from '../../../src/release/rollout-state.ts';

const NOW = new Date('2026-11-21T12:00:00.000Z');
const RELEASE_STARTED = '2026-11-21T11:40:00.000Z';
const STEP_STARTED = '2026-11-21T11:55:00.000Z';
const times = { releaseStartedAt: RELEASE_STARTED, stepStartedAt: STEP_STARTED };
const watch = { intervalSeconds: 60, since: '2026-11-21T11:58:30.000Z', ...times };
const recent = { intervalSeconds: 60, since: '2026-11-21T11:59:30.000Z', ...times };

const at = (stage: string, productionWeight?: number, paused = false): ServiceDeployment => ({
  arn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/sandbox/shop/abc',
  status: 'IN_PROGRESS',
  lifecycleStage: stage as ServiceDeployment['lifecycleStage'],
  lifecycleHooks: paused ? [{ hookId: 'hook-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }] : [],
  ...(productionWeight === undefined ? {} : { productionWeight }),
});
const promote = { action: 'promote' as const, releaseId: 'r', requestedBy: 'alice', requestedAt: NOW.toISOString() };
const abort = { ...promote, action: 'abort' as const };

describe('watchNative', () => {
  it('smoke-tests at the test-traffic hook and continues a hook with no production traffic to compare', () => {
    expect(watchNative(at('POST_TEST_TRAFFIC_SHIFT', 0, true), watch, undefined, NOW)).toEqual({
      status: 'PAUSED',
      next: 'smoke',
      hook: { hookId: 'hook-1', stage: 'POST_TEST_TRAFFIC_SHIFT' },
      productionWeight: 0,
      waitSeconds: 15,
    });
    expect(watchNative(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 0, true), watch, undefined, NOW).next).toBe('continue');
    expect(watchNative(at('POST_PRODUCTION_TRAFFIC_SHIFT', 100, true), watch, undefined, NOW).next).toBe('continue');
  });

  it('analyses a shared hook or bake only an interval after the last analysis or the step began', () => {
    expect(watchNative(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), watch, undefined, NOW).next).toBe('analyse');
    expect(watchNative(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), recent, undefined, NOW).next).toBe('wait');
    expect(watchNative(at('PRODUCTION_TRAFFIC_SHIFT', 10), watch, undefined, NOW)).toEqual({
      status: 'IN_PROGRESS',
      next: 'analyse',
      productionWeight: 10,
      // Both revisions serve production: the same window for both, since the release began.
      window: { since: RELEASE_STARTED },
      waitSeconds: 60,
    });
    expect(watchNative(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), watch, undefined, NOW).window).toEqual({
      since: RELEASE_STARTED,
    });
    expect(watchNative(at('PRODUCTION_TRAFFIC_SHIFT', 10), recent, undefined, NOW).next).toBe('wait');
    expect(watchNative(at('SCALE_UP'), watch, undefined, NOW).next).toBe('wait');
  });

  it('analyses the bake after the last shift (all traffic on the new revision) against the stable revision before the release', () => {
    const afterShift = { since: STEP_STARTED, baselineBefore: RELEASE_STARTED };
    expect(watchNative(at('BAKE_TIME', 100), watch, undefined, NOW)).toEqual({
      status: 'IN_PROGRESS',
      next: 'analyse',
      productionWeight: 100,
      window: afterShift,
      waitSeconds: 60,
    });
    expect(watchNative(at('PRODUCTION_TRAFFIC_SHIFT', 100), watch, undefined, NOW).window).toEqual(afterShift);
    expect(watchNative(at('BAKE_TIME', 100), recent, undefined, NOW).next).toBe('wait');
    // The old revision is being retired: nothing to switch back to by traffic.
    expect(watchNative(at('CLEAN_UP', 100), watch, undefined, NOW).next).toBe('wait');
    expect(watchNative(at('BAKE_TIME', 100), watch, promote, NOW).next).toBe('wait');
    // The hook right after the last shift goes on to the bake, where the analysis runs.
    expect(watchNative(at('POST_PRODUCTION_TRAFFIC_SHIFT', 100, true), watch, undefined, NOW).next).toBe('continue');
  });

  it('continues every hook without analysis once promoted, and aborts whatever the stage', () => {
    expect(watchNative(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), watch, promote, NOW).next).toBe('continue');
    expect(watchNative(at('POST_TEST_TRAFFIC_SHIFT', 0, true), watch, promote, NOW).next).toBe('continue');
    expect(watchNative(at('PRODUCTION_TRAFFIC_SHIFT', 10), watch, promote, NOW).next).toBe('wait');
    expect(watchNative(at('PRODUCTION_TRAFFIC_SHIFT', 10), watch, abort, NOW).next).toBe('abort');
    expect(watchNative(at('POST_TEST_TRAFFIC_SHIFT', 0, true), watch, abort, NOW).next).toBe('abort');
  });

  it('continues every hook of a hotfix without analysis, but still smoke-tests test traffic and aborts', () => {
    const hotfix = { ...watch, hotfix: true };
    expect(watchNative(at('POST_TEST_TRAFFIC_SHIFT', 0, true), hotfix, undefined, NOW).next).toBe('smoke');
    expect(watchNative(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), hotfix, undefined, NOW).next).toBe('continue');
    expect(watchNative(at('POST_PRODUCTION_TRAFFIC_SHIFT', 100, true), hotfix, undefined, NOW).next).toBe('continue');
    expect(watchNative(at('PRODUCTION_TRAFFIC_SHIFT', 10), hotfix, undefined, NOW).next).toBe('wait');
    expect(watchNative(at('BAKE_TIME', 100), hotfix, undefined, NOW).next).toBe('wait');
    expect(watchNative(at('PRODUCTION_TRAFFIC_SHIFT', 10), hotfix, abort, NOW).next).toBe('abort');
  });

  it('asks for the next look at the next analysis due while a step bakes, and polls where nothing is analysed', () => {
    const look = (deployment: ServiceDeployment, w: NativeWatch = watch, control?: typeof promote) =>
      watchNative(deployment, w, control, NOW).waitSeconds;
    // An analysis now, or a hook continued into production traffic: the next one is an interval away.
    expect(look(at('PRODUCTION_TRAFFIC_SHIFT', 10))).toBe(60);
    expect(look(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 0, true))).toBe(60);
    expect(look(at('POST_PRODUCTION_TRAFFIC_SHIFT', 100, true))).toBe(60);
    // Baking, 30 s after the last analysis: what is left of the interval, rounded up (never 0).
    expect(look(at('PRODUCTION_TRAFFIC_SHIFT', 10), recent)).toBe(30);
    expect(look(at('BAKE_TIME', 100), recent)).toBe(30);
    expect(look(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), recent)).toBe(30);
    expect(look(at('BAKE_TIME', 100), { ...recent, since: '2026-11-21T11:59:00.001Z' })).toBe(1);
    // Nothing analysed here: the poll (15 s unless given, never past the interval).
    expect(look(at('SCALE_UP'))).toBe(15);
    expect(look(at('SCALE_UP'), { ...watch, pollSeconds: 5 })).toBe(5);
    expect(look(at('SCALE_UP'), { ...watch, intervalSeconds: 10 })).toBe(10);
    expect(look(at('POST_TEST_TRAFFIC_SHIFT', 0, true))).toBe(15);
    expect(look(at('PRODUCTION_TRAFFIC_SHIFT', 10), watch, promote)).toBe(15);
    expect(look(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), watch, promote)).toBe(15);
    expect(look(at('PRE_PRODUCTION_TRAFFIC_SHIFT', 10, true), { ...watch, hotfix: true })).toBe(15);
    expect(look(at('CLEAN_UP', 100), recent)).toBe(15);
    // A long interval: a look a minute at most (unless given), so a promote, an abort or a hook waits no longer.
    const hourly = { ...watch, intervalSeconds: 3600, since: '2026-11-21T11:30:00.000Z' };
    expect(look(at('PRODUCTION_TRAFFIC_SHIFT', 10), hourly)).toBe(60);
    expect(look(at('PRODUCTION_TRAFFIC_SHIFT', 10), { ...hourly, longestWaitSeconds: 600 })).toBe(600);
    expect(look(at('PRODUCTION_TRAFFIC_SHIFT', 10), { ...hourly, longestWaitSeconds: 3600 })).toBe(1800);
    expect(look(at('PRODUCTION_TRAFFIC_SHIFT', 10), { ...hourly, since: '2026-11-21T11:00:00.000Z' })).toBe(60);
  });

  it('holds the stability deadline only while ECS scales the new revision up', () => {
    expect(pastScaleUp(at('SCALE_UP'))).toBe(false);
    expect(pastScaleUp({})).toBe(false);
    expect(pastScaleUp(at('TEST_TRAFFIC_SHIFT'))).toBe(true);
    expect(pastScaleUp(at('BAKE_TIME'))).toBe(true);
  });
});
