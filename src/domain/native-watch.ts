import type { DeploymentLifecycleStage, ServiceDeployment } from '../ports/ecs.ts';
import type { ControlRequest, NativeWatch, RolloutNext, StabilityResult } from './release.ts';
import { readPausedHook } from './rollout.ts';

// A native (canary, linear, blue/green) deployment in progress, read once per
// round of the release's wait loop: what the state machine does next.

/** The hooks where the canary is judged against the baseline, when both serve production traffic. */
const ANALYSED_HOOKS: readonly DeploymentLifecycleStage[] = [
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

// Before these, ECS is still starting the new revision: the stability deadline
// applies. From test traffic on, the strategy's bake times and the release's
// analyses take as long as they take (a paused hook has ECS's own timeout).
const SCALING_STAGES: readonly (DeploymentLifecycleStage | undefined)[] = [
  undefined,
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
];

/** Whether a native deployment is past scaling up, so its deadline no longer applies. */
export function pastScaleUp(deployment: Pick<ServiceDeployment, 'lifecycleStage'>): boolean {
  return !SCALING_STAGES.includes(deployment.lifecycleStage);
}

/**
 * What a native deployment in progress asks of the release now. An abort wins
 * over everything; a promote answers every hook with CONTINUE and skips every
 * analysis. Otherwise: the test-traffic hook runs the smoke checks; a hook
 * before or after a production shift, or a step baking, is analysed once the
 * canary has had an interval of traffic since the last analysis, but only
 * while both revisions serve production traffic (with all of it on one side
 * there is no baseline to compare against, so such a hook is continued).
 */
export function watchNative(
  deployment: Pick<ServiceDeployment, 'status' | 'lifecycleStage' | 'lifecycleHooks' | 'productionWeight'>,
  watch: NativeWatch,
  control: ControlRequest | undefined,
  now: Date,
): Pick<StabilityResult, 'status' | 'next' | 'hook' | 'productionWeight'> {
  const hook = readPausedHook(deployment);
  const weight = deployment.productionWeight === undefined ? {} : { productionWeight: deployment.productionWeight };
  const paused = hook === undefined ? undefined : { hookId: hook.hookId, ...(hook.stage ? { stage: hook.stage } : {}) };
  const answer = (next: RolloutNext) => ({
    status: paused === undefined ? ('IN_PROGRESS' as const) : ('PAUSED' as const),
    next,
    ...(paused === undefined ? {} : { hook: paused }),
    ...weight,
  });
  if (control?.action === 'abort') return answer('abort');
  const shared =
    deployment.productionWeight !== undefined && deployment.productionWeight > 0 && deployment.productionWeight < 100;
  const due = now.getTime() - Date.parse(watch.since) >= watch.intervalSeconds * 1000;
  if (hook === undefined) {
    const baking = deployment.status === 'IN_PROGRESS' && shared && control === undefined;
    return answer(baking && due ? 'analyse' : 'wait');
  }
  if (control?.action === 'promote') return answer('continue');
  if (hook.stage === 'POST_TEST_TRAFFIC_SHIFT') return answer('smoke');
  if (hook.stage !== undefined && ANALYSED_HOOKS.includes(hook.stage) && shared)
    return answer(due ? 'analyse' : 'wait');
  return answer('continue');
}
