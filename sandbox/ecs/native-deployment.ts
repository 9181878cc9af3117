import { randomBytes } from 'node:crypto';
import type { DeploymentLifecycleHookAction } from '@aws-sdk/client-ecs';
import { requestRollback } from './deployments.ts';
import { NATIVE_STRATEGIES } from './native-configuration.ts';
import type {
  LifecycleStage,
  NativeProgress,
  ServiceDeploymentRecord,
  ServiceRecord,
  ServiceRevision,
} from './service-model.ts';
import { type EcsState, isHealthy, isLive, serviceTasks } from './state.ts';

// ECS's native BLUE_GREEN, CANARY and LINEAR deployments, one lifecycle stage
// per scheduler tick: the green revision scales up beside blue in the other
// target group, test traffic moves to it, production traffic moves in steps
// (with a bake after each), both revisions run for the bake time, then blue
// scales down. A PAUSE hook holds its stage until ContinueServiceDeployment;
// a rollback moves all traffic back to blue at once, blue still running.

const MINUTE = 60;

/**
 * Places a new deployment's revision in a target group: a native one in the
 * group blue is not in (and returns its progress), a rolling one in blue's.
 */
export function placeRevision(service: ServiceRecord, green: ServiceRevision): NativeProgress | undefined {
  const config = service.deploymentConfiguration;
  const lb = service.loadBalancers.find((l) => l.advancedConfiguration);
  const advanced = lb?.advancedConfiguration;
  const blue = service.lastCompleted;
  if (!lb?.targetGroupArn || !advanced) return;
  const blueGroup = (blue && service.revisionTargetGroups.get(blue.arn)) ?? lb.targetGroupArn;
  if (!NATIVE_STRATEGIES.has(config.strategy ?? 'ROLLING') || !blue) {
    service.revisionTargetGroups.set(green.arn, blueGroup);
    return;
  }
  const alternate = advanced.alternateTargetGroupArn ?? '';
  const greenGroup = blueGroup === lb.targetGroupArn ? alternate : lb.targetGroupArn;
  service.revisionTargetGroups.set(green.arn, greenGroup);
  return {
    visit: 0,
    runs: [],
    steps: trafficSteps(config),
    step: 0,
    blueTargetGroupArn: blueGroup,
    greenTargetGroupArn: greenGroup,
    productionListenerRule: advanced.productionListenerRule ?? '',
    ...(advanced.testListenerRule ? { testListenerRule: advanced.testListenerRule } : {}),
  };
}

/** Green's share of production traffic after each step. */
function trafficSteps(config: ServiceRecord['deploymentConfiguration']): number[] {
  if (config.strategy === 'CANARY') return [config.canaryConfiguration?.canaryPercent ?? 5, 100];
  if (config.strategy !== 'LINEAR') return [100];
  const step = config.linearConfiguration?.stepPercent ?? 10;
  const steps: number[] = [];
  for (let share = step; share < 100 - 1e-9; share = Math.round((share + step) * 10) / 10) steps.push(share);
  return [...steps, 100];
}

/** The nominal bake after step `index` (none after the last). */
function stepBakeSeconds(config: ServiceRecord['deploymentConfiguration'], index: number, steps: number): number {
  if (index >= steps - 1) return 0;
  if (config.strategy === 'CANARY') return (config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10) * MINUTE;
  return (config.linearConfiguration?.stepBakeTimeInMinutes ?? 6) * MINUTE;
}

/** Whether the scheduler may launch green tasks yet (not before SCALE_UP). */
export function greenMayStart(deployment: ServiceDeploymentRecord): boolean {
  const stage = deployment.native?.stage;
  if (!deployment.native || deployment.status !== 'IN_PROGRESS') return true;
  return stage !== undefined && stage !== 'RECONCILE_SERVICE' && stage !== 'PRE_SCALE_UP';
}

/** Whether the old revision must keep running: a native deployment in progress before CLEAN_UP. */
export function blueMustRun(deployment: ServiceDeploymentRecord): boolean {
  return (
    deployment.native !== undefined && deployment.status === 'IN_PROGRESS' && deployment.native.stage !== 'CLEAN_UP'
  );
}

/** Moves a native deployment on by at most one stage. */
export function advanceNative(state: EcsState, service: ServiceRecord, deployment: ServiceDeploymentRecord): void {
  const progress = deployment.native;
  if (!progress || deployment.status !== 'IN_PROGRESS') return;
  if (progress.stage === undefined) {
    enter(state, service, deployment, deployment.sourceRevisions.length > 1 ? 'RECONCILE_SERVICE' : 'PRE_SCALE_UP');
    return;
  }
  const now = Date.now();
  for (const run of progress.runs) {
    if (run.visit !== progress.visit || run.status !== 'AWAITING_ACTION' || run.expiresAt.getTime() > now) continue;
    run.status = 'TIMED_OUT';
    if (run.timeoutAction === 'ROLLBACK') {
      rollBackNative(state, service, deployment, 'A lifecycle hook timed out; its timeout action is ROLLBACK.');
      return;
    }
  }
  if (progress.runs.some((r) => r.visit === progress.visit && r.status === 'AWAITING_ACTION')) return;
  if (progress.waitUntil && progress.waitUntil.getTime() > now) return;
  const next = nextStage(state, service, progress);
  if (next) enter(state, service, deployment, next);
}

function nextStage(state: EcsState, service: ServiceRecord, progress: NativeProgress): LifecycleStage | undefined {
  switch (progress.stage) {
    case 'RECONCILE_SERVICE':
      return 'PRE_SCALE_UP';
    case 'PRE_SCALE_UP':
      return 'SCALE_UP';
    case 'SCALE_UP':
      return greenReady(state, service) ? 'POST_SCALE_UP' : undefined;
    case 'POST_SCALE_UP':
      return 'TEST_TRAFFIC_SHIFT';
    case 'TEST_TRAFFIC_SHIFT':
      return 'POST_TEST_TRAFFIC_SHIFT';
    case 'POST_TEST_TRAFFIC_SHIFT':
      return 'PRE_PRODUCTION_TRAFFIC_SHIFT';
    case 'PRE_PRODUCTION_TRAFFIC_SHIFT':
      return 'PRODUCTION_TRAFFIC_SHIFT';
    case 'PRODUCTION_TRAFFIC_SHIFT':
      if (progress.step + 1 >= progress.steps.length) return 'POST_PRODUCTION_TRAFFIC_SHIFT';
      progress.step++;
      return 'PRE_PRODUCTION_TRAFFIC_SHIFT';
    case 'POST_PRODUCTION_TRAFFIC_SHIFT':
      return 'BAKE_TIME';
    case 'BAKE_TIME':
      return 'CLEAN_UP';
    default:
      return undefined; // CLEAN_UP: the scheduler retires blue and completes the deployment
  }
}

function greenReady(state: EcsState, service: ServiceRecord): boolean {
  const green = service.current.targetRevision.arn;
  const tasks = serviceTasks(state, service).filter((t) => isLive(t) && t.serviceRevisionArn === green);
  return tasks.length >= service.desiredCount && tasks.every((t) => isHealthy(state, service, t));
}

function enter(
  state: EcsState,
  service: ServiceRecord,
  deployment: ServiceDeploymentRecord,
  stage: LifecycleStage,
): void {
  const progress = deployment.native;
  if (!progress) return;
  const config = deployment.deploymentConfiguration;
  progress.stage = stage;
  progress.visit++;
  delete progress.waitUntil;
  const wait = (nominalSeconds: number) => {
    progress.waitUntil = new Date(Date.now() + state.pacer.ms(nominalSeconds, 0));
  };
  if (stage === 'TEST_TRAFFIC_SHIFT') route(state, progress.testListenerRule, progress, 100);
  if (stage === 'PRODUCTION_TRAFFIC_SHIFT') {
    const share = progress.steps[progress.step] ?? 100;
    route(state, progress.productionListenerRule, progress, share);
    service.events.add(`(deployment ${deployment.arn}) shifted ${share}% of production traffic to the new revision.`);
    wait(stepBakeSeconds(config, progress.step, progress.steps.length));
  }
  if (stage === 'BAKE_TIME') wait((config.bakeTimeInMinutes ?? 0) * MINUTE);
  for (const hook of config.lifecycleHooks ?? []) {
    if (hook.targetType !== 'PAUSE' || !hook.lifecycleStages?.includes(stage as never)) continue;
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
    progress.runs.push({
      hookId: `ecs-pause-${randomBytes(30).toString('base64url')}`,
      visit: progress.visit,
      status: 'AWAITING_ACTION',
      expiresAt: new Date(Date.now() + state.pacer.ms(minutes * MINUTE, 0)),
      timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
    });
  }
  deployment.updatedAt = new Date();
}

/** Sets a listener rule's weights: `greenShare` percent to green, the rest to blue. */
function route(state: EcsState, ruleArn: string | undefined, progress: NativeProgress, greenShare: number): void {
  const rule = ruleArn === undefined ? undefined : state.listenerRule(ruleArn);
  rule?.forward([
    { targetGroupArn: progress.blueTargetGroupArn, weight: Math.round((100 - greenShare) * 10) / 10 },
    { targetGroupArn: progress.greenTargetGroupArn, weight: greenShare },
  ]);
}

/** Acts on a paused hook (ContinueServiceDeployment); the caller has checked it is AWAITING_ACTION. */
export function resolveHook(
  state: EcsState,
  service: ServiceRecord,
  deployment: ServiceDeploymentRecord,
  hookId: string,
  action: DeploymentLifecycleHookAction,
): void {
  const run = deployment.native?.runs.find((r) => r.hookId === hookId);
  if (!run) return;
  run.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
  deployment.updatedAt = new Date();
  if (action === 'ROLLBACK') {
    rollBackNative(state, service, deployment, 'ContinueServiceDeployment requested a rollback at a lifecycle hook.');
  }
}

/** Production and test traffic back to blue at once (blue is still running); the scheduler then retires green. */
export function switchTrafficBack(state: EcsState, deployment: ServiceDeploymentRecord): void {
  const progress = deployment.native;
  if (!progress) return;
  route(state, progress.productionListenerRule, progress, 0);
  route(state, progress.testListenerRule, progress, 0);
}

function rollBackNative(
  state: EcsState,
  service: ServiceRecord,
  deployment: ServiceDeploymentRecord,
  statusReason: string,
): void {
  const blue = service.lastCompleted;
  if (!blue) return;
  switchTrafficBack(state, deployment);
  requestRollback(
    deployment,
    blue,
    'Rolling back to the service revision that was serving production traffic.',
    statusReason,
  );
}
