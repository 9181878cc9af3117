import type { TargetAccess } from '../../platform/index.ts';
import type { EcsPort } from '../../release/index.ts';

/**
 * ECS in a dependent's account and region, reached through its role in a session named after the
 * rotation (CloudTrail there shows which rotation rolled it); no access: the automation's own.
 */
export type DependentEcs = (access: TargetAccess | undefined, rotationId: string) => EcsPort;
