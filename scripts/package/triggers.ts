// What starts the state machines: the ECR push rule, the stopped-execution rule
// that abandons, the rotation schedules, and the dead-letter queue behind them.
import type { Catalog } from '../../src/catalog/index.ts';
import type { Check, PackagedTemplate } from './template.ts';

type Target = Record<string, unknown>;

/** Checks the state machines exist and every rule and schedule that starts them is safe to lose an event on. */
export function checkTriggers({ ofType }: PackagedTemplate, catalog: Catalog, check: Check): void {
  const machines = ofType('AWS::StepFunctions::StateMachine');
  const release = machines.find(([id]) => /^Release/i.test(id));
  check(release !== undefined, `state machine "release" (${machines.map(([id]) => id).join(', ')})`);

  const rules = ofType('AWS::Events::Rule');
  const ruleFor = (detailType: string) =>
    rules.find(([, rule]) => JSON.stringify(rule.Properties.EventPattern ?? '').includes(detailType));
  const targetsOf = (rule: (typeof rules)[number] | undefined) => (rule?.[1].Properties.Targets ?? []) as Target[];

  const target = targetsOf(ruleFor('ECR Image Action')).find((t) =>
    JSON.stringify(t.Arn).includes(release?.[0] ?? '(none)'),
  );
  check(target !== undefined, 'ECR Image Action rule targets the release state machine');
  check(target?.DeadLetterConfig !== undefined, 'the rule target has a dead-letter queue');
  check(target?.RetryPolicy !== undefined, 'the rule target has an explicit retry policy');

  // A release execution stopped before it finished leaves its record and lock: `abandon` ends them.
  const stoppedTarget = targetsOf(ruleFor('Step Functions Execution Status Change')).find((t) =>
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
    JSON.stringify(abandonInvokeConfig?.[1].Properties.DestinationConfig ?? {}).includes(
      'ReleaseTriggerDeadLetterQueue',
    ),
    'an abandon invocation that keeps failing goes to the dead-letter queue',
  );

  // One schedule per catalog secret starts the rotation state machine with that secret's parameter.
  const rotation = machines.find(([id]) => /rotation$/i.test(id));
  check(rotation !== undefined, 'state machine "rotation"');
  const schedules = rules.filter(([, rule]) => rule.Properties.ScheduleExpression !== undefined);
  for (const secret of Object.values(catalog.secrets)) {
    const schedule = schedules.find(([, rule]) => JSON.stringify(rule.Properties.Targets).includes(secret.parameter));
    const scheduled = schedule?.[1].Properties;
    check(
      scheduled?.ScheduleExpression === secret.schedule &&
        JSON.stringify(scheduled.Targets).includes(rotation?.[0] ?? '(none)'),
      `${secret.parameter} rotates on ${secret.schedule} (its schedule starts the rotation state machine)`,
    );
  }

  // Every rule and schedule target (the rotation schedules too) hands what it could not deliver to the queue.
  const lossy = rules.filter((rule) =>
    targetsOf(rule).some((t) => t.DeadLetterConfig === undefined || t.RetryPolicy === undefined),
  );
  check(
    lossy.length === 0,
    `every rule and schedule target has a retry policy and a dead-letter queue${lossy.length === 0 ? '' : ` (not: ${lossy.map(([id]) => id).join(', ')})`}`,
  );

  // EventBridge may write to the dead-letter queue only for the rules that name
  // it as theirs: not any rule in any account.
  const deadLetterArn = JSON.stringify({ 'Fn::GetAtt': ['ReleaseTriggerDeadLetterQueue', 'Arn'] });
  const rulesWithDeadLetter = rules
    .filter((rule) => targetsOf(rule).some((t) => JSON.stringify(t.DeadLetterConfig ?? {}).includes(deadLetterArn)))
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
}
