import type { AdvancedConfiguration, LoadBalancer } from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import { NATIVE_STRATEGIES } from './native-configuration.ts';
import type { EcsState } from './state.ts';

// A load balancer's advancedConfiguration: the alternate target group and
// listener rules that ECS's native deployments move traffic with, and the
// role ECS would call ELB with. Everything it names must exist in the
// sandbox, and the rules must forward to both target groups.

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function invalid(message: string): never {
  throw new AwsApiError('InvalidParameterException', message);
}

/** Reads and checks `loadBalancers[].advancedConfiguration` against the target group it pairs with. */
export function readAdvancedConfiguration(
  state: EcsState,
  lb: InputReader,
  targetGroupArn: string,
): AdvancedConfiguration | undefined {
  const advanced = lb.optionalObject('advancedConfiguration');
  if (!advanced) return undefined;
  const alternateTargetGroupArn = advanced.string('alternateTargetGroupArn');
  const productionListenerRule = advanced.string('productionListenerRule');
  const testListenerRule = advanced.optionalString('testListenerRule');
  const roleArn = advanced.string('roleArn');
  if (!state.targetGroup(alternateTargetGroupArn)) {
    invalid(
      `The target group with targetGroupArn ${alternateTargetGroupArn} does not have an associated load balancer.`,
    );
  }
  if (alternateTargetGroupArn === targetGroupArn) {
    invalid('The alternateTargetGroupArn must be different from the targetGroupArn.');
  }
  for (const ruleArn of [productionListenerRule, testListenerRule]) {
    if (ruleArn === undefined) continue;
    const rule = state.listenerRule(ruleArn);
    if (!rule) invalid(`The listener rule ${ruleArn} was not found.`);
    const forwarded = new Set(rule.weights().map((w) => w.targetGroupArn));
    if (!forwarded.has(targetGroupArn) || !forwarded.has(alternateTargetGroupArn)) {
      invalid(`The listener rule ${ruleArn} must forward to both the target group and the alternate target group.`);
    }
  }
  if (!ROLE_ARN.test(roleArn)) invalid(`The roleArn ${roleArn} is not a valid IAM role ARN.`);
  return {
    alternateTargetGroupArn,
    productionListenerRule,
    ...(testListenerRule === undefined ? {} : { testListenerRule }),
    roleArn,
  };
}

/** A native strategy needs exactly one load balancer with advancedConfiguration. */
export function checkNativeLoadBalancers(strategy: string | undefined, loadBalancers: LoadBalancer[]): void {
  const advanced = loadBalancers.filter((lb) => lb.advancedConfiguration);
  if (advanced.length > 1) {
    throw new AwsApiError(
      'UnsupportedFeatureException',
      'The sandbox emulates native deployments with one load balancer only.',
    );
  }
  if (NATIVE_STRATEGIES.has(strategy ?? 'ROLLING') && advanced.length === 0) {
    invalid(
      `The ${strategy} deployment strategy requires a load balancer with advancedConfiguration (alternateTargetGroupArn, productionListenerRule and roleArn).`,
    );
  }
}
