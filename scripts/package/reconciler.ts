// The push reconciler: its schedule (the catalog's period, safe to lose a run
// on) and a role allowed exactly the reads, writes and start it makes.
import type { Catalog } from '../../src/catalog/index.ts';
import { actionsOf, allows, type Check, type PackagedTemplate } from './template.ts';

const FUNCTION_ID = 'ReconcilePushesLambdaFunction';

/** Checks the reconciler runs on the catalog's schedule with a retry policy and DLQ, and may do only what it does. */
export function checkReconciler({ ofType, statementsOf }: PackagedTemplate, catalog: Catalog, check: Check): void {
  const minutes = catalog.reconcile.everyMinutes;
  const rate = `rate(${minutes} minute${minutes === 1 ? '' : 's'})`;
  const rule = ofType('AWS::Events::Rule').find(([, found]) =>
    JSON.stringify(found.Properties.Targets ?? []).includes(FUNCTION_ID),
  )?.[1].Properties;
  const target = ((rule?.Targets ?? []) as Record<string, unknown>[])[0];
  check(rule?.ScheduleExpression === rate, `the push reconciler runs on the catalog's schedule (${rate})`);
  check(
    target?.RetryPolicy !== undefined && target.DeadLetterConfig !== undefined,
    'its schedule target has a retry policy and a dead-letter queue',
  );
  const invokeConfig = ofType('AWS::Lambda::EventInvokeConfig').find(([, config]) =>
    JSON.stringify(config.Properties.FunctionName).includes(FUNCTION_ID),
  );
  check(
    JSON.stringify(invokeConfig?.[1].Properties.DestinationConfig ?? {}).includes('ReleaseTriggerDeadLetterQueue'),
    'a reconciler run that keeps failing goes to the dead-letter queue',
  );

  const statements = statementsOf(FUNCTION_ID);
  const actions = actionsOf(statements)
    .map(String)
    .filter((action) => !action.startsWith('logs:'))
    .sort();
  const expected = [
    'dynamodb:GetItem',
    'dynamodb:UpdateItem',
    'ecr:DescribeImages',
    'sqs:SendMessage',
    'states:StartExecution',
    // The registry's role, to read a registry in another account (checkAccounts: only the catalog's roles).
    'sts:AssumeRole',
  ];
  check(
    JSON.stringify([...new Set(actions)]) === JSON.stringify(expected),
    `the reconcilePushes role allows only ${expected.join(', ')} (${actions.join(', ')})`,
  );
  const resourceOf = (action: string) =>
    JSON.stringify(statements.filter((statement) => allows(statement, action)).map((statement) => statement.Resource));
  check(
    resourceOf('dynamodb:UpdateItem') === JSON.stringify([{ 'Fn::GetAtt': ['LocksTable', 'Arn'] }]),
    'it writes only the locks table (its mark), never a release record',
  );
  check(
    resourceOf('states:StartExecution').includes(':stateMachine:') &&
      resourceOf('states:StartExecution').includes('-release') &&
      !resourceOf('states:StartExecution').includes('"*"'),
    'it starts the release state machine only',
  );
  check(!resourceOf('ecr:DescribeImages').includes('"*"'), "it reads the catalog's ECR repositories only");
}
