import {
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancingPort } from '../ports.ts';

const isNotFound = (error: unknown, name: string) =>
  error instanceof Error && (error.name === name || error.name === `${name}Exception`);

/** ELBv2's DescribeTargetGroups and DescribeRules, one ARN at a time: a missing one is false. */
export function createElbv2Resources(client: ElasticLoadBalancingV2Client): LoadBalancingPort {
  return {
    async targetGroupExists(targetGroupArn) {
      try {
        const { TargetGroups } = await client.send(
          new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }),
        );
        return (TargetGroups?.length ?? 0) > 0;
      } catch (error) {
        if (isNotFound(error, 'TargetGroupNotFound')) return false;
        throw error;
      }
    },
    async listenerRuleExists(ruleArn) {
      try {
        const { Rules } = await client.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
        return (Rules?.length ?? 0) > 0;
      } catch (error) {
        if (isNotFound(error, 'RuleNotFound')) return false;
        throw error;
      }
    },
  };
}
