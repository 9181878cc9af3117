import { describe, expect, it } from '@jest/globals';
import type { LifecycleHookDetail, ServiceDeploymentStatus } from '../../../src/release/ports/ecs.ts';
import { readPausedHook, readRollout } from '../../../src/release/rollout.ts';

describe('readRollout', () => {
  it.each<[ServiceDeploymentStatus, string, string]>([
    ['PENDING', 'IN_PROGRESS', 'IN_PROGRESS'],
    ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS'],
    ['SUCCESSFUL', 'SUCCESSFUL', 'SUCCESSFUL'],
    ['STOPPED', 'FAILED', 'FAILED'],
    ['STOP_REQUESTED', 'FAILED', 'FAILED'],
    ['ROLLBACK_REQUESTED', 'FAILED', 'IN_PROGRESS'],
    ['ROLLBACK_IN_PROGRESS', 'FAILED', 'IN_PROGRESS'],
    ['ROLLBACK_SUCCESSFUL', 'FAILED', 'SUCCESSFUL'],
    ['ROLLBACK_FAILED', 'FAILED', 'FAILED'],
  ])('%s is %s when deploying and %s when rolling back', (status, deploying, rollingBack) => {
    expect(readRollout(status, 'deploy')).toBe(deploying);
    expect(readRollout(status, 'rollback')).toBe(rollingBack);
  });

  it('waits on a status ECS may add later rather than guessing its outcome', () => {
    expect(readRollout('PAUSED' as ServiceDeploymentStatus, 'deploy')).toBe('IN_PROGRESS');
  });
});

describe('readPausedHook', () => {
  const done: LifecycleHookDetail = { hookId: 'h1', targetType: 'PAUSE', status: 'SUCCEEDED' };
  const waiting: LifecycleHookDetail = {
    hookId: 'h2',
    targetType: 'PAUSE',
    status: 'AWAITING_ACTION',
    expiresAt: new Date('2026-11-22T10:19:31.000Z'),
    timeoutAction: 'ROLLBACK',
  };

  it('names the hook a deployment waits at, and where', () => {
    expect(
      readPausedHook({
        status: 'IN_PROGRESS',
        lifecycleStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
        lifecycleHooks: [done, waiting],
      }),
    ).toEqual({
      hookId: 'h2',
      stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
      expiresAt: '2026-11-22T10:19:31.000Z',
      timeoutAction: 'ROLLBACK',
    });
  });

  it.each<[string, ServiceDeploymentStatus, LifecycleHookDetail[]]>([
    ['a rolling deployment', 'IN_PROGRESS', []],
    ['hooks that are done', 'IN_PROGRESS', [done]],
    ['a Lambda hook running', 'IN_PROGRESS', [{ hookId: 'h3', targetType: 'AWS_LAMBDA', status: 'AWAITING_ACTION' }]],
    ['a hook without an id', 'IN_PROGRESS', [{ targetType: 'PAUSE', status: 'AWAITING_ACTION' }]],
    ['a deployment rolling back', 'ROLLBACK_IN_PROGRESS', [waiting]],
  ])('finds none in %s', (_case, status, lifecycleHooks) => {
    expect(readPausedHook({ status, lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHooks })).toBeUndefined();
  });
});
