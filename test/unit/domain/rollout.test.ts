import { describe, expect, it } from '@jest/globals';
import { readRollout } from '../../../src/domain/rollout.ts';
import type { ServiceDeploymentStatus } from '../../../src/ports/ecs.ts';

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
