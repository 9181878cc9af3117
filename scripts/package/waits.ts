// Waits that wake on ECS's events: awaitDeployment, ecsEvents and reconcileWaits
// may look at ECS as waitStable does, keep waits in their own table, and answer
// the release state machine's tasks: each only what it calls, nothing else.
import { actionsOf, allows, type Check, type PackagedTemplate } from './template.ts';

const LOOKS = [
  'dynamodb:GetItem',
  'ecs:DescribeServiceDeployments',
  'ecs:DescribeServices',
  'ecs:DescribeTasks',
  'ecs:ListTasks',
  // The target's deployment role, to look there (checkAccounts: only the catalog's roles).
  'sts:AssumeRole',
];

const ROLES = [
  ['awaitDeployment', 'AwaitDeploymentLambdaFunction', ['dynamodb:DeleteItem', 'dynamodb:PutItem'], []],
  ['ecsEvents', 'EcsEventsLambdaFunction', ['dynamodb:DeleteItem', 'dynamodb:Query'], []],
  [
    'reconcileWaits',
    'ReconcileWaitsLambdaFunction',
    ['dynamodb:DeleteItem', 'dynamodb:Scan'],
    ['states:SendTaskHeartbeat'],
  ],
] as const;

/** Checks the three wait functions' roles, the ECS events rule, the reconcile's schedule and the waits table. */
export function checkWaits({ ofType, statementsOf, resources }: PackagedTemplate, check: Check): void {
  for (const [name, functionId, waitWrites, more] of ROLES) {
    const statements = statementsOf(functionId);
    const actions = [...new Set(actionsOf(statements).map(String))].filter((action) => !action.startsWith('logs:'));
    const expected = [...LOOKS, ...waitWrites, 'states:SendTaskFailure', 'states:SendTaskSuccess', ...more].sort();
    check(
      JSON.stringify(actions.sort()) === JSON.stringify(expected),
      `the ${name} role allows only ${expected.join(', ')} (${actions.join(', ')})`,
    );
    const resourcesOf = (action: string) =>
      JSON.stringify(
        statements.filter((statement) => allows(statement, action)).map((statement) => statement.Resource),
      );
    check(
      waitWrites.every(
        (action) => resourcesOf(action) === JSON.stringify([{ 'Fn::GetAtt': ['DeploymentWaitsTable', 'Arn'] }]),
      ),
      `the ${name} role writes and reads waits in the waits table only`,
    );
    check(
      resourcesOf('dynamodb:GetItem') === JSON.stringify([{ 'Fn::GetAtt': ['LocksTable', 'Arn'] }]),
      `the ${name} role reads only the locks table's controls (a promote or abort), and writes no lock`,
    );
    const answers = resourcesOf('states:SendTaskSuccess');
    check(
      answers.includes(':stateMachine:') && answers.includes('-release') && !answers.includes('"*"'),
      `the ${name} role answers the release state machine's tasks only`,
    );
  }

  const rules = ofType('AWS::Events::Rule');
  const targetOf = (functionId: string) =>
    rules.find(([, rule]) => JSON.stringify(rule.Properties.Targets ?? []).includes(functionId))?.[1].Properties;
  const ecsRule = targetOf('EcsEventsLambdaFunction');
  const pattern = JSON.stringify(ecsRule?.EventPattern ?? {});
  check(
    pattern.includes('"source":["aws.ecs"]') && pattern.includes('ECS Deployment State Change'),
    'ecsEvents is subscribed to ECS Deployment State Change events (source aws.ecs)',
  );
  check(
    targetOf('ReconcileWaitsLambdaFunction')?.ScheduleExpression === 'rate(1 minute)',
    'reconcileWaits runs every minute (bounds how late a wait whose events were lost is answered)',
  );
  const table = resources.DeploymentWaitsTable?.Properties ?? {};
  check(
    JSON.stringify(table.TimeToLiveSpecification ?? {}).includes('"Enabled":true') &&
      JSON.stringify(table.SSESpecification ?? {}).includes('"SSEEnabled":true'),
    'the waits table forgets unanswered waits (TTL) and encrypts the task tokens it holds',
  );
}
