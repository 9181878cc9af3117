// What each function's role may do: what its step needs, and for the functions
// that face the internet or read metrics, nothing more.
import type { Catalog } from '../../src/catalog/index.ts';
import { actionsOf, allows, type Check, type PackagedTemplate, type Statement } from './template.ts';

/** Checks each role allows what its function needs and no more (least privilege, passed roles named). */
export function checkPermissions(template: PackagedTemplate, catalog: Catalog, check: Check): void {
  const { statements, statementsOf } = template;
  check(
    statements.every((statement) => !allows(statement, '*')),
    'no IAM statement allows Action "*"',
  );

  // The rotation checks each PostgreSQL server's certificate against the CA bundle its secret names.
  const rotateSecretStatements = statementsOf('RotateSecretLambdaFunction');
  for (const [name, secret] of Object.entries(catalog.secrets)) {
    const tls = secret.postgres?.tls;
    if (tls?.mode !== 'verify-full' || !('parameter' in tls.ca)) continue;
    const arn = `parameter${tls.ca.parameter}"`;
    check(
      rotateSecretStatements.some(
        (statement) => allows(statement, 'ssm:GetParameter') && JSON.stringify(statement.Resource).includes(arn),
      ),
      `the rotateSecret role may read ${name}'s CA bundle parameter ${tls.ca.parameter}`,
    );
  }

  // Registering a revision with tags needs ecs:TagResource; a retried release
  // finds the revision a lost answer registered with ListTaskDefinitions.
  const deployStatements = statementsOf('DeployLambdaFunction');
  const needed = ['ecs:RegisterTaskDefinition', 'ecs:TagResource', 'ecs:ListTaskDefinitions'];
  check(
    needed.every((action) => actionsOf(deployStatements).includes(action)),
    `the deploy role allows ${needed.join(', ')}`,
  );

  // A native strategy passes the load balancers' infrastructure role to ECS:
  // only the roles the catalog names, for deploy and for a rollback's update back.
  for (const [name, roleStatements] of [
    ['deploy', deployStatements],
    ['rollback', statementsOf('RollbackLambdaFunction')],
  ] as const) {
    const passToEcs = roleStatements.find(
      (statement) =>
        allows(statement, 'iam:PassRole') && JSON.stringify(statement.Condition ?? {}).includes('"ecs.amazonaws.com"'),
    );
    const resources = [passToEcs?.Resource ?? []].flat();
    check(
      passToEcs !== undefined && resources.length > 0 && !resources.includes('*'),
      `the ${name} role passes to ECS only the infrastructure roles the catalog names`,
    );
  }
  check(
    actionsOf(statementsOf('RollbackLambdaFunction')).includes('ecs:ContinueServiceDeployment'),
    'the rollback role allows ecs:ContinueServiceDeployment (rolling back a paused deployment)',
  );

  // canary-check reads metrics, advance answers a paused hook with CONTINUE: each does nothing else
  // (but assume a target's deployment role to do it there: checkAccounts).
  for (const [name, functionId, action] of [
    ['canaryCheck', 'CanaryCheckLambdaFunction', 'cloudwatch:GetMetricData'],
    ['advance', 'AdvanceLambdaFunction', 'ecs:ContinueServiceDeployment'],
  ] as const) {
    const actions = actionsOf(statementsOf(functionId));
    check(
      actions.includes(action) &&
        actions.every((found) => found === action || found === 'sts:AssumeRole' || String(found).startsWith('logs:')),
      `the ${name} role allows ${action} and no other AWS action (${actions.join(', ')})`,
    );
  }

  // wait-stable reads the promote or abort asked of a release from its lock and
  // renews the lock's lease (a conditional UpdateItem); it never puts or deletes one.
  const waitStableActions = actionsOf(statementsOf('WaitStableLambdaFunction'));
  check(
    waitStableActions.includes('dynamodb:GetItem') &&
      waitStableActions.includes('dynamodb:UpdateItem') &&
      !waitStableActions.some((action) => /^dynamodb:(?!GetItem$|UpdateItem$)/.test(String(action))),
    `the waitStable role may read the locks table and renew a lease, nothing else (${waitStableActions.filter((a) => String(a).startsWith('dynamodb:')).join(', ')})`,
  );

  // watchRollout (CheckRollout) is waitStable's look, canaryCheck's analysis and notify's notice in one
  // invocation: their actions and no more (no PutItem or DeleteItem on any table, nothing written to ECS).
  const watchActions = actionsOf(statementsOf('WatchRolloutLambdaFunction')).map(String);
  const lookAnalyseNotify = [
    ...['ecs:DescribeServiceDeployments', 'ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:ListTasks'],
    ...['dynamodb:GetItem', 'dynamodb:UpdateItem', 'cloudwatch:GetMetricData', 'ssm:GetParameter', 'kms:Decrypt'],
    // A target's deployment role, to look and analyse there.
    'sts:AssumeRole',
  ];
  check(
    lookAnalyseNotify.every((action) => watchActions.includes(action)) &&
      watchActions.every((action) => lookAnalyseNotify.includes(action) || action.startsWith('logs:')),
    `the watchRollout role allows what waitStable, canaryCheck and notify call, nothing else (${watchActions.join(', ')})`,
  );

  // rotateSecret's create refuses while a dependent runs tasks older than the
  // published version: it reads those tasks, and changes nothing in ECS.
  const rotateSecretEcs = actionsOf(rotateSecretStatements).filter((action) => String(action).startsWith('ecs:'));
  check(
    ['ecs:ListTasks', 'ecs:DescribeTasks'].every((action) => rotateSecretEcs.includes(action)) &&
      rotateSecretEcs.every((action) => /^ecs:(Describe|List)/.test(String(action))),
    `the rotateSecret role may read the dependents' running tasks, and only read ECS (${rotateSecretEcs.join(', ')})`,
  );

  checkWebhook(template, check);

  // Task and execution roles are passed to ECS tasks only, by every role that may pass one.
  check(
    statements
      .filter((statement) => allows(statement, 'iam:PassRole'))
      .every((statement) =>
        /"iam:PassedToService":"ecs(-tasks)?\.amazonaws\.com"/.test(JSON.stringify(statement.Condition ?? {})),
      ),
    'every iam:PassRole statement names the service it passes to (iam:PassedToService)',
  );
  check(
    deployStatements.some(
      (statement: Statement) =>
        allows(statement, 'iam:PassRole') &&
        JSON.stringify(statement.Condition ?? {}).includes('"iam:PassedToService":"ecs-tasks.amazonaws.com"'),
    ),
    'the deploy role passes task and execution roles to ecs-tasks.amazonaws.com only',
  );
}

// The GitHub webhook faces the internet: it reads its secret, reads whether a
// release is recorded already and puts events on the project's own bus, nothing else.
function checkWebhook({ statementsOf, ofType }: PackagedTemplate, check: Check): void {
  const webhookStatements = statementsOf('GithubWebhookLambdaFunction');
  const webhookActions = actionsOf(webhookStatements).filter((action) => !String(action).startsWith('logs:'));
  check(
    [...webhookActions].sort().join(',') === 'dynamodb:GetItem,events:PutEvents,kms:Decrypt,ssm:GetParameter',
    `the githubWebhook role allows only ssm:GetParameter, kms:Decrypt, dynamodb:GetItem and events:PutEvents (${webhookActions.join(', ')})`,
  );
  const resourceOf = (action: string) => webhookStatements.find((statement) => allows(statement, action))?.Resource;
  check(
    JSON.stringify(resourceOf('dynamodb:GetItem')) === JSON.stringify({ 'Fn::GetAtt': ['ReleasesTable', 'Arn'] }),
    'the githubWebhook role reads the releases table only (no index, no other table, no write)',
  );
  check(
    JSON.stringify(resourceOf('events:PutEvents')) === JSON.stringify({ 'Fn::GetAtt': ['ReleaseEventBus', 'Arn'] }),
    'the githubWebhook role puts events on the project bus (ReleaseEventBus) only',
  );
  const webhookUrl = ofType('AWS::Lambda::Url').find(([id]) => id === 'GithubWebhookLambdaFunctionUrl');
  check(
    webhookUrl?.[1].Properties.AuthType === 'NONE',
    'githubWebhook has a function URL (auth NONE: GitHub signs each delivery)',
  );
}
