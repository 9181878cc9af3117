import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { StackOutputsPort } from '../ports.ts';

/** The sandbox's equivalent of DescribeStacks' outputs: `GET <endpoint>/_sandbox/stack-outputs`. */
export const SANDBOX_STACK_OUTPUTS_PATH = '/_sandbox/stack-outputs';

/** A deployed stack's outputs, by CloudFormation's DescribeStacks. */
export function createCloudFormationOutputs(client: CloudFormationClient, stackName: string): StackOutputsPort {
  return {
    async outputs() {
      const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
      return Object.fromEntries(
        (Stacks?.[0]?.Outputs ?? []).flatMap(({ OutputKey, OutputValue }) =>
          OutputKey && OutputValue !== undefined ? [[OutputKey, OutputValue]] : [],
        ),
      );
    },
  };
}

/** The sandbox's stack outputs, as the CLI finds its function URLs: from the AWS endpoint. */
export function createSandboxOutputs(endpoint: string): StackOutputsPort {
  return {
    async outputs() {
      const response = await fetch(new URL(SANDBOX_STACK_OUTPUTS_PATH, endpoint), {
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) {
        throw new Error(`${endpoint} has no stack outputs (HTTP ${response.status}): is it the sandbox?`);
      }
      return (await response.json()) as Record<string, string>;
    },
  };
}
