import { type DoctorCheck, failed, passed } from './check.ts';

// The stack's outputs the doctor and the Slack manifest read: serverless.yml's
// `Outputs:` (CloudFormation) and the sandbox's /_sandbox/stack-outputs name
// them alike.

/** Each output the stack declares, with what it is. */
export const STACK_OUTPUTS = {
  SlackCommandUrl: "the slack-command function URL (Slack's slash command and interactivity)",
  GithubWebhookUrl: "the github-webhook function URL (GitHub's release webhook)",
  ReleaseStateMachineArn: 'the release state machine',
  RotationStateMachineArn: 'the rotation state machine',
  ReleasesTableName: 'the releases table (audit ledger)',
  LocksTableName: 'the locks table',
  ApprovalsTableName: 'the approvals table',
  IdempotencyTableName: 'the idempotency table',
  ReleaseAlarmTopicArn: 'the alarm topic (subscribe the on-call to it)',
  SlackTokenParameter: "the Slack bot token's SSM parameter",
  SlackSigningSecretParameter: "Slack's signing secret's SSM parameter",
  GithubWebhookSecretParameter: "GitHub's webhook secret's SSM parameter",
} as const;

export type StackOutputKey = keyof typeof STACK_OUTPUTS;

/** The outputs a stack must have for the doctor to go on (the parameters' names, the URLs). */
const REQUIRED: readonly StackOutputKey[] = [
  'SlackCommandUrl',
  'GithubWebhookUrl',
  'ReleaseStateMachineArn',
  'RotationStateMachineArn',
  'ReleasesTableName',
  'SlackTokenParameter',
  'SlackSigningSecretParameter',
  'GithubWebhookSecretParameter',
];

/**
 * One check per output the stack has, and a failure for each required one it
 * lacks (an older stack: redeploy); an optional output it lacks is left out
 * (the sandbox has no alarm topic).
 */
export function stackChecks(outputs: Readonly<Record<string, string>>, stackName: string): DoctorCheck[] {
  return (Object.keys(STACK_OUTPUTS) as StackOutputKey[]).flatMap((key) => {
    const value = outputs[key];
    if (value !== undefined) return [passed('stack', key, value)];
    if (!REQUIRED.includes(key)) return [];
    return [
      failed(
        'stack',
        key,
        `${STACK_OUTPUTS[key]}: no output ${key} on ${stackName}`,
        `npx serverless deploy (this version's stack declares it); then: aws cloudformation describe-stacks --stack-name ${stackName} --query 'Stacks[0].Outputs'`,
      ),
    ];
  });
}
