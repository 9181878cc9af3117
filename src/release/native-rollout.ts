import { isNative, type NativeStrategy } from '../catalog/index.ts';
import { DeployFailedError } from '../platform/errors.ts';
import type {
  DeploymentLifecycleStage,
  DeploymentSettings,
  EcsService,
  NativeDeploymentStrategy,
  NativeRollout,
} from './ports/ecs.ts';
import type { ReleaseTarget } from './release.ts';

const ECS_STRATEGY: Record<NativeStrategy, NativeDeploymentStrategy> = {
  canary: 'CANARY',
  linear: 'LINEAR',
  'blue-green': 'BLUE_GREEN',
};

/**
 * Where a native release hands ECS's decision to the state machine: after test
 * traffic (smoke checks), before each production shift and after the last (analysis).
 */
export const PAUSE_STAGES: readonly DeploymentLifecycleStage[] = [
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

// The service's own settings a release keeps (its circuit breaker, alarms and
// task counts); the strategy's fields are the catalog's, and fields of other
// strategies (e.g. rolling's early success criteria) are left behind.
const KEPT_SETTINGS = ['deploymentCircuitBreaker', 'alarms', 'maximumPercent', 'minimumHealthyPercent'];

type Target = Pick<
  ReleaseTarget,
  | 'service'
  | 'environment'
  | 'ecsService'
  | 'container'
  | 'strategy'
  | 'canary'
  | 'linear'
  | 'bakeMinutes'
  | 'loadBalancer'
>;

/**
 * What UpdateService must set beside the revision for a target's strategy:
 * undefined for rolling (the revision alone). `pause: false` leaves out the
 * PAUSE hooks, for a redeploy no one will answer (a rollback after the end);
 * `hotfix: true` sets every bake time to 0 (the steps are still taken, each
 * hook still answered, so test-traffic smoke checks and rollback still apply).
 * Throws DeployFailedError for a service ECS's deployment controller does not run.
 */
export function nativeRollout(
  target: Target,
  service: Pick<EcsService, 'deploymentController' | 'deploymentConfiguration' | 'productionTargetGroupArn'>,
  { pause, hotfix = false }: { pause: boolean; hotfix?: boolean },
): NativeRollout | undefined {
  if (!isNative(target.strategy)) return undefined;
  const where = `${target.service}/${target.environment} (ECS service ${target.ecsService})`;
  // A service on CODE_DEPLOY or EXTERNAL takes no new revision through UpdateService;
  // moving it to the ECS controller is a change of its own, not a release's.
  const controller = service.deploymentController ?? 'ECS';
  if (controller !== 'ECS') {
    throw new DeployFailedError(
      `${where} uses the ${controller} deployment controller; strategy ${target.strategy} needs the ECS controller (change it with UpdateService deploymentController ECS before releasing)`,
    );
  }
  const { loadBalancer } = target;
  if (loadBalancer === undefined) {
    throw new DeployFailedError(`${where} has strategy ${target.strategy} but no loadBalancer in its catalog entry`);
  }
  const { production, alternate } = orientTargetGroups(loadBalancer, service);
  const bake = (minutes: number | undefined) => (hotfix ? 0 : (minutes ?? 0));
  return {
    deploymentConfiguration: {
      ...kept(service.deploymentConfiguration),
      strategy: ECS_STRATEGY[target.strategy],
      bakeTimeInMinutes: bake(target.bakeMinutes),
      ...(target.canary === undefined
        ? {}
        : {
            canaryConfiguration: {
              canaryPercent: target.canary.percent,
              canaryBakeTimeInMinutes: bake(target.canary.bakeMinutes),
            },
          }),
      ...(target.linear === undefined
        ? {}
        : {
            linearConfiguration: {
              stepPercent: target.linear.stepPercent,
              stepBakeTimeInMinutes: bake(target.linear.stepBakeMinutes),
            },
          }),
      lifecycleHooks: pause ? [{ targetType: 'PAUSE', lifecycleStages: [...PAUSE_STAGES] }] : [],
    },
    loadBalancers: [
      {
        targetGroupArn: production,
        containerName: target.container,
        containerPort: loadBalancer.containerPort,
        advancedConfiguration: {
          alternateTargetGroupArn: alternate,
          productionListenerRule: loadBalancer.productionListenerRuleArn,
          ...(loadBalancer.testListenerRuleArn === undefined
            ? {}
            : { testListenerRule: loadBalancer.testListenerRuleArn }),
          roleArn: loadBalancer.roleArn,
        },
      },
    ],
  };
}

/**
 * The catalog's target-group pair as ECS has it now: the group serving production first. ECS
 * swaps the pair after each successful native deployment, so after an odd number of them the
 * catalog's `alternateTargetGroupArn` serves production and the new revision goes to the other.
 */
export function orientTargetGroups(
  loadBalancer: { targetGroupArn: string; alternateTargetGroupArn: string },
  service: { productionTargetGroupArn?: string | undefined },
): { production: string; alternate: string } {
  const swapped = service.productionTargetGroupArn === loadBalancer.alternateTargetGroupArn;
  return swapped
    ? { production: loadBalancer.alternateTargetGroupArn, alternate: loadBalancer.targetGroupArn }
    : { production: loadBalancer.targetGroupArn, alternate: loadBalancer.alternateTargetGroupArn };
}

function kept(settings: DeploymentSettings | undefined): DeploymentSettings {
  return Object.fromEntries(
    Object.entries(settings ?? {}).filter(([field, value]) => KEPT_SETTINGS.includes(field) && value !== undefined),
  );
}
