// What the deployed stack's Outputs say in AWS (serverless.yml, `Outputs:`),
// as the sandbox knows it: served at /_sandbox/stack-outputs for `release
// doctor` and `release slack-manifest`, as DescribeStacks serves them in AWS.
// The sandbox has no SNS: ReleaseAlarmTopicArn is left out, as an output a
// stack may lack.
import type { SandboxResources } from './lambda/environment.ts';
import type { StateMachineRunner } from './stepfunctions/runner.ts';

/** The inputs: the function URLs, the state machines, the tables and the functions' environment. */
export interface StackOutputSources {
  functionUrls: Readonly<Record<string, string>>;
  stateMachines: Pick<StateMachineRunner, 'byKey'>;
  resources: SandboxResources;
  environment: Readonly<Record<string, string>>;
}

/** The stack's outputs by key, as serverless.yml names them. */
export function sandboxStackOutputs({
  functionUrls,
  stateMachines,
  resources,
  environment,
}: StackOutputSources): Record<string, string> {
  const entries: [string, string | undefined][] = [
    ['SlackCommandUrl', functionUrls.slackCommand],
    ['GithubWebhookUrl', functionUrls.githubWebhook],
    ['ReleaseStateMachineArn', stateMachines.byKey('release')?.arn],
    ['RotationStateMachineArn', stateMachines.byKey('rotation')?.arn],
    ['ReleasesTableName', resources.ReleasesTable?.ref],
    ['LocksTableName', resources.LocksTable?.ref],
    ['ApprovalsTableName', resources.ApprovalsTable?.ref],
    ['IdempotencyTableName', resources.IdempotencyTable?.ref],
    ['SlackTokenParameter', environment.SLACK_TOKEN_PARAMETER],
    ['SlackSigningSecretParameter', environment.SLACK_SIGNING_SECRET_PARAMETER],
    ['GithubWebhookSecretParameter', environment.GITHUB_WEBHOOK_SECRET_PARAMETER],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
}
