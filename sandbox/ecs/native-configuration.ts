import type {
  CanaryConfiguration,
  DeploymentLifecycleHook,
  DeploymentLifecycleHookStage,
  LinearConfiguration,
} from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import type { RollingConfiguration } from './service-model.ts';

// The parts of a deploymentConfiguration that ECS's native strategies
// (BLUE_GREEN, CANARY, LINEAR) read: canary and linear steps, the bake time
// and PAUSE lifecycle hooks. Ranges and defaults are the ones the ECS API
// reference gives; a setting that belongs to another strategy is refused.

export const NATIVE_STRATEGIES: ReadonlySet<string> = new Set(['BLUE_GREEN', 'CANARY', 'LINEAR']);
const STRATEGIES = new Set(['ROLLING', ...NATIVE_STRATEGIES]);
const HOOK_STAGES: ReadonlySet<string> = new Set<DeploymentLifecycleHookStage>([
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
]);
/** Stages where only AWS_LAMBDA hooks run: ECS shifts traffic there and does not stop midway. */
const NO_PAUSE_STAGES = new Set(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']);
const MAX_BAKE_MINUTES = 1440;

function invalid(message: string): never {
  throw new AwsApiError('InvalidParameterException', message);
}

/** A percentage that must be a multiple of 0.1 in [min, 100]. */
function percent(reader: InputReader, name: string, min: number, fallback: number): number {
  const value = reader.optionalNumber(name) ?? fallback;
  const tenths = Math.round(value * 10);
  if (value < min || value > 100 || Math.abs(tenths - value * 10) > 1e-6) {
    reader.fail(`${name} must be a multiple of 0.1 between ${min} and 100.0.`);
  }
  return tenths / 10;
}

/** The strategy named in the input, or the current one; an unknown name is ECS's validation error. */
export function readStrategy(reader: InputReader, current: string | undefined): RollingConfiguration['strategy'] {
  const strategy = reader.optionalString('strategy') ?? current ?? 'ROLLING';
  if (!STRATEGIES.has(strategy)) {
    reader.fail(`Invalid deployment strategy '${strategy}'. Valid values: ROLLING, BLUE_GREEN, CANARY, LINEAR.`);
  }
  return strategy as RollingConfiguration['strategy'];
}

/** Reads canaryConfiguration, linearConfiguration, bakeTimeInMinutes and lifecycleHooks into `merged`. */
export function readNativeSettings(reader: InputReader, merged: RollingConfiguration): void {
  const strategy = merged.strategy ?? 'ROLLING';
  const canary = reader.optionalObject('canaryConfiguration');
  const linear = reader.optionalObject('linearConfiguration');
  if (canary && strategy !== 'CANARY') invalid('canaryConfiguration is only valid when the strategy is CANARY.');
  if (linear && strategy !== 'LINEAR') invalid('linearConfiguration is only valid when the strategy is LINEAR.');
  if (strategy !== 'CANARY') delete merged.canaryConfiguration;
  if (strategy !== 'LINEAR') delete merged.linearConfiguration;
  if (strategy === 'CANARY') {
    const base: CanaryConfiguration = merged.canaryConfiguration ?? {};
    merged.canaryConfiguration = {
      canaryPercent: canary
        ? percent(canary, 'canaryPercent', 0.1, base.canaryPercent ?? 5)
        : (base.canaryPercent ?? 5),
      canaryBakeTimeInMinutes:
        canary?.optionalInteger('canaryBakeTimeInMinutes', 0, MAX_BAKE_MINUTES) ?? base.canaryBakeTimeInMinutes ?? 10,
    };
  }
  if (strategy === 'LINEAR') {
    const base: LinearConfiguration = merged.linearConfiguration ?? {};
    merged.linearConfiguration = {
      stepPercent: linear ? percent(linear, 'stepPercent', 3, base.stepPercent ?? 10) : (base.stepPercent ?? 10),
      stepBakeTimeInMinutes:
        linear?.optionalInteger('stepBakeTimeInMinutes', 0, MAX_BAKE_MINUTES) ?? base.stepBakeTimeInMinutes ?? 6,
    };
  }
  const bake = reader.optionalInteger('bakeTimeInMinutes', 0, MAX_BAKE_MINUTES);
  if (bake !== undefined) merged.bakeTimeInMinutes = bake;
  if (strategy === 'BLUE_GREEN' && merged.bakeTimeInMinutes === undefined) {
    invalid('bakeTimeInMinutes is required for the BLUE_GREEN deployment strategy.');
  }
  if (reader.has('lifecycleHooks')) {
    const hooks = reader.objects('lifecycleHooks').map(readHook);
    if (hooks.length > 0) merged.lifecycleHooks = hooks;
    else delete merged.lifecycleHooks;
  }
  if (merged.lifecycleHooks && !NATIVE_STRATEGIES.has(strategy)) {
    invalid('Lifecycle hooks are only supported for the BLUE_GREEN, CANARY and LINEAR deployment strategies.');
  }
}

function readHook(hook: InputReader): DeploymentLifecycleHook {
  const targetType = hook.optionalString('targetType') ?? 'AWS_LAMBDA';
  if (targetType !== 'PAUSE' && targetType !== 'AWS_LAMBDA') {
    hook.fail(`Invalid lifecycle hook targetType '${targetType}'. Valid values: AWS_LAMBDA, PAUSE.`);
  }
  const stages = hook.optionalStringArray('lifecycleStages') ?? [];
  if (stages.length === 0) hook.fail('lifecycleStages is required for a deployment lifecycle hook.');
  for (const stage of stages) {
    if (!HOOK_STAGES.has(stage)) hook.fail(`Invalid lifecycle stage '${stage}'.`);
    if (targetType === 'PAUSE' && NO_PAUSE_STAGES.has(stage)) {
      invalid(`PAUSE hooks cannot be configured at the ${stage} lifecycle stage.`);
    }
  }
  if (targetType === 'AWS_LAMBDA') {
    throw new AwsApiError(
      'UnsupportedFeatureException',
      'The sandbox emulates PAUSE lifecycle hooks only; AWS_LAMBDA hooks are not emulated.',
    );
  }
  if (hook.has('hookTargetArn')) invalid('hookTargetArn is not applicable to PAUSE lifecycle hooks.');
  const result: DeploymentLifecycleHook = {
    targetType: 'PAUSE',
    lifecycleStages: stages as DeploymentLifecycleHookStage[],
  };
  const timeout = hook.optionalObject('timeoutConfiguration');
  if (timeout) {
    const action = timeout.optionalString('action') ?? 'ROLLBACK';
    if (action !== 'CONTINUE' && action !== 'ROLLBACK') {
      timeout.fail(`Invalid timeout action '${action}'. Valid values: CONTINUE, ROLLBACK.`);
    }
    result.timeoutConfiguration = {
      timeoutInMinutes: timeout.optionalInteger('timeoutInMinutes', 1, MAX_BAKE_MINUTES) ?? MAX_BAKE_MINUTES,
      action: action as 'CONTINUE' | 'ROLLBACK',
    };
  }
  return result;
}
