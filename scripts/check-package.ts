// After `serverless package`: checks the CloudFormation template has what the
// release pipeline needs: the state machine, the ECR push rule targeting it with
// a retry policy and a dead-letter queue, the stopped-execution rule targeting
// `abandon`, every function with its own role, and what deploy's role must allow;
// record tables that outlive the stack, a dead-letter queue only the project's
// rules may write to, public functions within their own concurrency.
import { readFileSync } from 'node:fs';
import { readServerlessConfig } from '../sandbox/serverless-config.ts';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
const template = JSON.parse(readFileSync('.serverless/cloudformation-template-update-stack.json', 'utf8')) as {
  Resources: Record<string, Resource>;
};
const resources = Object.entries(template.Resources);
const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
};

const machines = ofType('AWS::StepFunctions::StateMachine');
const release = machines.find(([id]) => /^Release/i.test(id));
check(release !== undefined, `state machine "release" (${machines.map(([id]) => id).join(', ')})`);

const rules = ofType('AWS::Events::Rule');
const ecrRule = rules.find(([, rule]) =>
  JSON.stringify(rule.Properties.EventPattern ?? '').includes('ECR Image Action'),
);
const targets = (ecrRule?.[1].Properties.Targets ?? []) as Record<string, unknown>[];
const target = targets.find((t) => JSON.stringify(t.Arn).includes(release?.[0] ?? '(none)'));
check(target !== undefined, 'ECR Image Action rule targets the release state machine');
check(target?.DeadLetterConfig !== undefined, 'the rule target has a dead-letter queue');
check(target?.RetryPolicy !== undefined, 'the rule target has an explicit retry policy');

// A release execution stopped before it finished leaves its record and lock: `abandon` ends them.
const stoppedRule = rules.find(([, rule]) =>
  JSON.stringify(rule.Properties.EventPattern ?? '').includes('Step Functions Execution Status Change'),
);
const stoppedTarget = ((stoppedRule?.[1].Properties.Targets ?? []) as Record<string, unknown>[]).find((t) =>
  JSON.stringify(t.Arn).includes('AbandonLambdaFunction'),
);
check(stoppedTarget !== undefined, 'the stopped-execution rule targets the abandon function');
check(
  stoppedTarget?.DeadLetterConfig !== undefined && stoppedTarget.RetryPolicy !== undefined,
  'that target has a dead-letter queue and a retry policy',
);
const abandonInvokeConfig = ofType('AWS::Lambda::EventInvokeConfig').find(([, config]) =>
  JSON.stringify(config.Properties.FunctionName).includes('AbandonLambdaFunction'),
);
check(
  JSON.stringify(abandonInvokeConfig?.[1].Properties.DestinationConfig ?? {}).includes('ReleaseTriggerDeadLetterQueue'),
  'an abandon invocation that keeps failing goes to the dead-letter queue',
);

// One schedule per catalog secret starts the rotation state machine with that secret's parameter.
const rotation = machines.find(([id]) => /rotation$/i.test(id));
check(rotation !== undefined, 'state machine "rotation"');
const schedules = rules.filter(([, rule]) => rule.Properties.ScheduleExpression !== undefined);
const catalog = (await import('#catalog')).runtimeCatalog(process.env);
for (const secret of Object.values(catalog.secrets)) {
  const schedule = schedules.find(([, rule]) => JSON.stringify(rule.Properties.Targets).includes(secret.parameter));
  const scheduled = schedule?.[1].Properties;
  check(
    scheduled?.ScheduleExpression === secret.schedule &&
      JSON.stringify(scheduled.Targets).includes(rotation?.[0] ?? '(none)'),
    `${secret.parameter} rotates on ${secret.schedule} (its schedule starts the rotation state machine)`,
  );
}

const { functions } = await readServerlessConfig();
const lambdas = ofType('AWS::Lambda::Function');
const roles = new Set<string>();
for (const key of Object.keys(functions)) {
  const found = lambdas.find(([id]) => id.toLowerCase() === `${key}LambdaFunction`.toLowerCase());
  // serverless-iam-roles-per-function gives each function `<Fn>IamRoleLambdaExecution`;
  // the shared default role is `IamRoleLambdaExecution`.
  const role = JSON.stringify(found?.[1].Properties.Role ?? '');
  const shared = role.includes('"IamRoleLambdaExecution"');
  const runtime = found?.[1].Properties.Runtime;
  check(found !== undefined && runtime === 'nodejs24.x', `function ${key} (${runtime})`);
  check(found !== undefined && !shared && !roles.has(role), `function ${key} has its own role`);
  roles.add(role);
}
check(
  !ofType('AWS::IAM::Role').some(([id]) => id === 'IamRoleLambdaExecution'),
  'no shared Lambda role is left in the template',
);
const statements = ofType('AWS::IAM::Role').flatMap(([, role]) =>
  (
    (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: { Action: unknown; Condition?: unknown }[] } }[]
  ).flatMap((policy) => policy.PolicyDocument.Statement),
);
check(
  statements.every((statement) => ![statement.Action].flat().includes('*')),
  'no IAM statement allows Action "*"',
);

type Statement = { Action: unknown; Resource?: unknown; Condition?: unknown };
// The statements of a function's own role.
const statementsOf = (functionId: string): Statement[] => {
  const role = JSON.stringify(lambdas.find(([id]) => id === functionId)?.[1].Properties.Role ?? '');
  return ofType('AWS::IAM::Role')
    .filter(([id]) => role.includes(`"${id}"`))
    .flatMap(([, found]) =>
      ((found.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (policy) => policy.PolicyDocument.Statement,
      ),
    );
};
const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat());

// The rotation checks each PostgreSQL server's certificate against the CA bundle its secret names.
const rotateSecretStatements = statementsOf('RotateSecretLambdaFunction');
for (const [name, secret] of Object.entries(catalog.secrets)) {
  const tls = secret.postgres?.tls;
  if (tls?.mode !== 'verify-full' || !('parameter' in tls.ca)) continue;
  const arn = `parameter${tls.ca.parameter}"`;
  check(
    rotateSecretStatements.some(
      (statement) =>
        actionsOf([statement]).includes('ssm:GetParameter') && JSON.stringify(statement.Resource).includes(arn),
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
for (const [name, statements] of [
  ['deploy', deployStatements],
  ['rollback', statementsOf('RollbackLambdaFunction')],
] as const) {
  const passToEcs = statements.find(
    (statement) =>
      [statement.Action].flat().includes('iam:PassRole') &&
      JSON.stringify(statement.Condition ?? {}).includes('"ecs.amazonaws.com"'),
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

// canary-check reads metrics and nothing else.
const canaryActions = actionsOf(statementsOf('CanaryCheckLambdaFunction'));
check(
  canaryActions.includes('cloudwatch:GetMetricData') &&
    canaryActions.every((action) => action === 'cloudwatch:GetMetricData' || String(action).startsWith('logs:')),
  `the canaryCheck role allows cloudwatch:GetMetricData and no other AWS action (${canaryActions.join(', ')})`,
);

// advance answers a paused hook with CONTINUE and does nothing else.
const advanceActions = actionsOf(statementsOf('AdvanceLambdaFunction'));
check(
  advanceActions.includes('ecs:ContinueServiceDeployment') &&
    advanceActions.every((action) => action === 'ecs:ContinueServiceDeployment' || String(action).startsWith('logs:')),
  `the advance role allows ecs:ContinueServiceDeployment and no other AWS action (${advanceActions.join(', ')})`,
);

// wait-stable reads the promote or abort asked of a release from its lock and
// renews the lock's lease (a conditional UpdateItem); it never puts or deletes one.
const waitStableActions = actionsOf(statementsOf('WaitStableLambdaFunction'));
check(
  waitStableActions.includes('dynamodb:GetItem') &&
    waitStableActions.includes('dynamodb:UpdateItem') &&
    !waitStableActions.some((action) => /^dynamodb:(?!GetItem$|UpdateItem$)/.test(String(action))),
  `the waitStable role may read the locks table and renew a lease, nothing else (${waitStableActions.filter((a) => String(a).startsWith('dynamodb:')).join(', ')})`,
);

// rotateSecret's create refuses while a dependent runs tasks older than the
// published version: it reads those tasks, and changes nothing in ECS.
const rotateSecretEcs = actionsOf(statementsOf('RotateSecretLambdaFunction')).filter((action) =>
  String(action).startsWith('ecs:'),
);
check(
  ['ecs:ListTasks', 'ecs:DescribeTasks'].every((action) => rotateSecretEcs.includes(action)) &&
    rotateSecretEcs.every((action) => /^ecs:(Describe|List)/.test(String(action))),
  `the rotateSecret role may read the dependents' running tasks, and only read ECS (${rotateSecretEcs.join(', ')})`,
);

// The GitHub webhook faces the internet: it reads its secret, reads whether a
// release is recorded already and puts events on the project's own bus, nothing else.
const webhookStatements = statementsOf('GithubWebhookLambdaFunction');
const webhookActions = actionsOf(webhookStatements).filter((action) => !String(action).startsWith('logs:'));
check(
  [...webhookActions].sort().join(',') === 'dynamodb:GetItem,events:PutEvents,kms:Decrypt,ssm:GetParameter',
  `the githubWebhook role allows only ssm:GetParameter, kms:Decrypt, dynamodb:GetItem and events:PutEvents (${webhookActions.join(', ')})`,
);
const getItemOn = webhookStatements.find((statement) => [statement.Action].flat().includes('dynamodb:GetItem'));
check(
  JSON.stringify(getItemOn?.Resource) === JSON.stringify({ 'Fn::GetAtt': ['ReleasesTable', 'Arn'] }),
  'the githubWebhook role reads the releases table only (no index, no other table, no write)',
);
const putEventsOn = webhookStatements.find((statement) => [statement.Action].flat().includes('events:PutEvents'));
check(
  JSON.stringify(putEventsOn?.Resource) === JSON.stringify({ 'Fn::GetAtt': ['ReleaseEventBus', 'Arn'] }),
  'the githubWebhook role puts events on the project bus (ReleaseEventBus) only',
);
const webhookUrl = ofType('AWS::Lambda::Url').find(([id]) => id === 'GithubWebhookLambdaFunctionUrl');
check(
  webhookUrl?.[1].Properties.AuthType === 'NONE',
  'githubWebhook has a function URL (auth NONE: GitHub signs each delivery)',
);

// Records someone may need later (releases: the audit of every release;
// approvals: who approved what) survive a deleted or replaced stack and a
// mistaken write. Locks and idempotency records only matter while executions
// run (README, Operations): every other table is a record table.
const disposableTables = new Set(['LocksTable', 'IdempotencyTable']);
for (const [id, table] of ofType('AWS::DynamoDB::Table').filter(([id]) => !disposableTables.has(id))) {
  check(
    table.DeletionPolicy === 'Retain' && table.UpdateReplacePolicy === 'Retain',
    `${id} is retained when the stack is deleted or replaces it (DeletionPolicy, UpdateReplacePolicy)`,
  );
  check(table.Properties.DeletionProtectionEnabled === true, `${id} has deletion protection`);
  check(
    JSON.stringify(table.Properties.PointInTimeRecoverySpecification ?? {}).includes(
      '"PointInTimeRecoveryEnabled":true',
    ),
    `${id} has point-in-time recovery`,
  );
}
check(
  ['ReleasesTable', 'ApprovalsTable'].every((id) => template.Resources[id]?.Type === 'AWS::DynamoDB::Table'),
  'the releases and approvals tables are in the template',
);

// EventBridge may write to the dead-letter queue only for the rules that name
// it as theirs: not any rule in any account.
const deadLetterArn = JSON.stringify({ 'Fn::GetAtt': ['ReleaseTriggerDeadLetterQueue', 'Arn'] });
const rulesWithDeadLetter = rules
  .filter(([, rule]) =>
    ((rule.Properties.Targets ?? []) as Record<string, unknown>[]).some((t) =>
      JSON.stringify(t.DeadLetterConfig ?? {}).includes(deadLetterArn),
    ),
  )
  .map(([id]) => id)
  .sort();
type PolicyStatement = { Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const eventBridgeGrants = ofType('AWS::SQS::QueuePolicy')
  .filter(([, policy]) => JSON.stringify(policy.Properties.Queues).includes('"ReleaseTriggerDeadLetterQueue"'))
  .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
  .filter((statement) => JSON.stringify(statement.Principal).includes('events.amazonaws.com'));
const sourceRules = (statement: PolicyStatement) =>
  [statement.Condition?.ArnEquals?.['aws:SourceArn'] ?? []]
    .flat()
    .map((arn) => JSON.stringify(arn).match(/^\{"Fn::GetAtt":\["(\w+)","Arn"\]\}$/)?.[1] ?? JSON.stringify(arn))
    .sort();
check(
  rulesWithDeadLetter.length > 0 &&
    eventBridgeGrants.length > 0 &&
    eventBridgeGrants.every(
      (statement) => JSON.stringify(sourceRules(statement)) === JSON.stringify(rulesWithDeadLetter),
    ),
  `EventBridge may send to the dead-letter queue only from its rules (aws:SourceArn: ${rulesWithDeadLetter.join(', ')})`,
);

// A public function URL takes anyone's requests: a flood of forged ones must
// not use the concurrency rollback needs.
for (const [urlId, url] of ofType('AWS::Lambda::Url').filter(([, url]) => url.Properties.AuthType === 'NONE')) {
  const functionId = JSON.stringify(url.Properties.TargetFunctionArn).match(/"(\w+LambdaFunction)"/)?.[1];
  const reserved = lambdas.find(([id]) => id === functionId)?.[1].Properties.ReservedConcurrentExecutions;
  check(
    Number.isInteger(reserved) && Number(reserved) > 0,
    `${functionId ?? urlId} (public URL) has reserved concurrency (${reserved})`,
  );
}

// Task and execution roles are passed to ECS tasks only, by every role that may pass one.
const passRoleStatements = statements.filter((statement) => [statement.Action].flat().includes('iam:PassRole'));
check(
  passRoleStatements.every((statement) =>
    /"iam:PassedToService":"ecs(-tasks)?\.amazonaws\.com"/.test(JSON.stringify(statement.Condition ?? {})),
  ),
  'every iam:PassRole statement names the service it passes to (iam:PassedToService)',
);
check(
  deployStatements.some(
    (statement) =>
      [statement.Action].flat().includes('iam:PassRole') &&
      JSON.stringify(statement.Condition ?? {}).includes('"iam:PassedToService":"ecs-tasks.amazonaws.com"'),
  ),
  'the deploy role passes task and execution roles to ecs-tasks.amazonaws.com only',
);

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in the packaged template`);
  process.exit(1);
}
