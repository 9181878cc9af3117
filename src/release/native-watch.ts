import type { DeploymentLifecycleStage, ServiceDeployment } from './ports/ecs.ts';
import { readPausedHook } from './rollout.ts';
import type { AnalysisWindowSpec, ControlRequest, NativeWatch, RolloutNext, StabilityResult } from './rollout-state.ts';

// A native (canary, linear, blue/green) deployment in progress, read once per
// round of the release's wait loop: what the state machine does next.

// How often a stage with no analysis ahead (scaling up, test traffic, a hotfix's or
// promoted release's hooks) is looked at: as the rollout loop polled before issue 17.
const DEFAULT_POLL_SECONDS = 15;
// The longest wait between two looks, whatever the interval (up to an hour): a `release promote` or
// `abort`, or a hook ECS paused at (no event says so), is acted on within a minute, as a rolling
// release's abort is (reconcileWaits' period). The default interval, a minute, needs no extra look.
const DEFAULT_LONGEST_WAIT_SECONDS = 60;

/** The hooks where the canary is judged against the baseline, when both serve production traffic. */
const ANALYSED_HOOKS: readonly DeploymentLifecycleStage[] = [
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

// With all production traffic on the new revision, the stages where the old
// one still runs, so a failing release is still a traffic switch back: the
// shift to 100% and the bake after it (CLEAN_UP already retires the old one).
const AFTER_SHIFT_STAGES: readonly DeploymentLifecycleStage[] = ['PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME'];

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
 * analysis; a hotfix does the same but still smoke-tests the test traffic. Otherwise: the test-traffic hook runs the smoke checks; a hook
 * before or after a production shift, or a step baking, is analysed once the
 * canary has had an interval of traffic since the last analysis. While both
 * revisions serve production, the canary is compared with the baseline over
 * the same window. Once all of it is on the new revision (the last shift of a
 * canary or linear release, the only one of a blue/green release) there is no
 * baseline to compare against at the same time: the shift and the bake after
 * it are analysed against the stable revision's own traffic over as long a
 * window just before the release began, when it served all of production; the
 * hook after the last shift is continued at once, since the bake after it is
 * where that analysis runs (and is rolled back by a traffic switch).
 */
export function watchNative(
  deployment: Pick<ServiceDeployment, 'status' | 'lifecycleStage' | 'lifecycleHooks' | 'productionWeight'>,
  watch: NativeWatch,
  control: ControlRequest | undefined,
  now: Date,
): Pick<StabilityResult, 'status' | 'next' | 'hook' | 'productionWeight' | 'window' | 'waitSeconds'> {
  const hook = readPausedHook(deployment);
  const weight = deployment.productionWeight === undefined ? {} : { productionWeight: deployment.productionWeight };
  const paused = hook === undefined ? undefined : { hookId: hook.hookId, ...(hook.stage ? { stage: hook.stage } : {}) };
  const poll = Math.min(watch.pollSeconds ?? DEFAULT_POLL_SECONDS, watch.intervalSeconds);
  // Never longer between looks than this: a promote, an abort or a hook is acted on within it.
  const longest = Math.min(watch.longestWaitSeconds ?? DEFAULT_LONGEST_WAIT_SECONDS, watch.intervalSeconds);
  // Seconds to the next analysis due (at least 1): what is left of the interval since the last one.
  const untilDue = () =>
    Math.max(1, Math.ceil((Date.parse(watch.since) + watch.intervalSeconds * 1000 - now.getTime()) / 1000));
  // The next look: an interval after an analysis, or after a hook continued into production traffic
  // (its first analysis is an interval away); at the next analysis due while a step bakes; else a poll.
  // Either way no later than `longest`.
  const answer = (next: RolloutNext, window?: AnalysisWindowSpec, analysisAhead = false) => ({
    status: paused === undefined ? ('IN_PROGRESS' as const) : ('PAUSED' as const),
    next,
    ...(paused === undefined ? {} : { hook: paused }),
    ...weight,
    ...(window === undefined ? {} : { window }),
    waitSeconds:
      next === 'analyse' || (next === 'continue' && analysisAhead)
        ? longest
        : next === 'wait' && analysisAhead
          ? Math.min(untilDue(), longest)
          : Math.min(poll, longest),
  });
  if (control?.action === 'abort') return answer('abort');
  // A hotfix takes the steps without judging them (its bake times are 0), but never skips the smoke checks.
  if (watch.hotfix) {
    if (hook === undefined) return answer('wait');
    return answer(hook.stage === 'POST_TEST_TRAFFIC_SHIFT' ? 'smoke' : 'continue');
  }
  const shared =
    deployment.productionWeight !== undefined && deployment.productionWeight > 0 && deployment.productionWeight < 100;
  const due = now.getTime() - Date.parse(watch.since) >= watch.intervalSeconds * 1000;
  const together: AnalysisWindowSpec = { since: watch.releaseStartedAt };
  if (hook === undefined) {
    const allShifted =
      deployment.productionWeight === 100 &&
      deployment.lifecycleStage !== undefined &&
      AFTER_SHIFT_STAGES.includes(deployment.lifecycleStage);
    const baking = deployment.status === 'IN_PROGRESS' && control === undefined && (shared || allShifted);
    if (!baking || !due) return answer('wait', undefined, baking);
    return shared
      ? answer('analyse', together)
      : answer('analyse', { since: watch.stepStartedAt, baselineBefore: watch.releaseStartedAt });
  }
  if (control?.action === 'promote') return answer('continue');
  if (hook.stage === 'POST_TEST_TRAFFIC_SHIFT') return answer('smoke');
  const analysedHook = hook.stage !== undefined && ANALYSED_HOOKS.includes(hook.stage);
  if (analysedHook && shared) return due ? answer('analyse', together) : answer('wait', undefined, true);
  return answer('continue', undefined, analysedHook);
}
