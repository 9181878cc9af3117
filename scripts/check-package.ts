// After `serverless package`: checks the CloudFormation template has what the
// release pipeline needs: the state machine, the ECR push rule targeting it with
// a retry policy and a dead-letter queue, the stopped-execution rule targeting
// `abandon`, every function with its own role, and what deploy's role must allow.
import { readFileSync } from 'node:fs';
import { readServerlessConfig } from '../sandbox/serverless-config.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
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
const { catalog } = await import('../src/catalog/runtime.ts');
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
  ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: { Action: unknown }[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  ),
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

// The GitHub webhook faces the internet: it reads its secret and puts events on the project's own bus, nothing else.
const webhookStatements = statementsOf('GithubWebhookLambdaFunction');
const webhookActions = actionsOf(webhookStatements).filter((action) => !String(action).startsWith('logs:'));
check(
  [...webhookActions].sort().join(',') === 'events:PutEvents,kms:Decrypt,ssm:GetParameter',
  `the githubWebhook role allows only ssm:GetParameter, kms:Decrypt and events:PutEvents (${webhookActions.join(', ')})`,
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

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in the packaged template`);
  process.exit(1);
}
