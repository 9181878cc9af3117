import type { DeploymentLifecycleHookDetail, ServiceDeployment, ServiceRevisionSummary } from '@aws-sdk/client-ecs';
import type { ServiceDeploymentRecord, ServiceRecord, ServiceRevision } from './service-model.ts';
import type { EcsState } from './state.ts';

// The parts of DescribeServiceDeployments that native deployments add: the
// lifecycle stage, the hooks run at it, and each revision's share of
// production and test traffic as the listener rules' weights say.

/** `lifecycleStage` and the current stage's `lifecycleHookDetails` (PAUSE hooks have no targetArn). */
export function lifecycleView(
  record: ServiceDeploymentRecord,
): Pick<ServiceDeployment, 'lifecycleStage' | 'lifecycleHookDetails'> {
  const progress = record.native;
  if (!progress?.stage) return {};
  const details: DeploymentLifecycleHookDetail[] = progress.runs
    .filter((run) => run.visit === progress.visit)
    .map((run) => ({
      hookId: run.hookId,
      targetType: 'PAUSE',
      status: run.status,
      expiresAt: run.expiresAt,
      timeoutAction: run.timeoutAction,
    }));
  // PRE_PRODUCTION_TRAFFIC_SHIFT is a stage ECS answers though the SDK's enum lacks it (service-model.ts).
  return { lifecycleStage: progress.stage as ServiceDeployment['lifecycleStage'], lifecycleHookDetails: details };
}

/** A revision's requested production and test traffic weights (percent), for a service with listener rules. */
export function trafficWeights(
  state: EcsState,
  service: ServiceRecord,
  revision: ServiceRevision,
): Pick<ServiceRevisionSummary, 'requestedProductionTrafficWeight' | 'requestedTestTrafficWeight'> {
  const lb = service.loadBalancers.find((l) => l.advancedConfiguration);
  const advanced = lb?.advancedConfiguration;
  if (!lb?.targetGroupArn || !advanced) return {};
  const group = service.revisionTargetGroups.get(revision.arn) ?? lb.targetGroupArn;
  const share = (ruleArn: string | undefined): number | undefined => {
    const rule = ruleArn === undefined ? undefined : state.listenerRule(ruleArn);
    if (!rule) return undefined;
    const total = rule.weights().reduce((sum, w) => sum + w.weight, 0);
    return total === 0 ? 0 : Math.round((rule.weightOf(group) / total) * 1000) / 10;
  };
  const production = share(advanced.productionListenerRule);
  const test = share(advanced.testListenerRule);
  return {
    ...(production === undefined ? {} : { requestedProductionTrafficWeight: production }),
    ...(test === undefined ? {} : { requestedTestTrafficWeight: test }),
  };
}
