import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import type { EventRule } from './rules.ts';
import { type EventBridgeModel, namedBus } from './wire.ts';

// The rules of serverless.yml as `aws events list-rules`, `describe-rule` and
// `list-targets-by-rule` show them. Each rule has its one target, with the Id
// the deployment gives it (serverless-step-functions: `<key>CloudWatchEvent`;
// the framework: `<rule>-target`).

const ruleView = ({ location }: EventBridgeModel, rule: EventRule) => ({
  Name: rule.name,
  Arn: `arn:aws:events:${location.region}:${location.accountId}:rule/${rule.name}`,
  ...(rule.pattern === undefined ? {} : { EventPattern: JSON.stringify(rule.pattern) }),
  ...(rule.schedule === undefined ? {} : { ScheduleExpression: rule.schedule.expression }),
  State: rule.enabled === false ? 'DISABLED' : 'ENABLED',
  EventBusName: rule.bus,
});

/** The bus EventBusName names (default: `default`); an unknown one is ResourceNotFoundException. */
function busNamed(model: EventBridgeModel, reader: InputReader): string {
  const named = reader.optionalString('EventBusName');
  const bus = namedBus(model, named);
  if (bus === undefined) throw new AwsApiError('ResourceNotFoundException', `Event bus ${named} does not exist.`);
  return bus;
}

/** ListRules: every rule of the bus (EventBusName, default `default`), or those whose name starts with NamePrefix. */
export function listRules(model: EventBridgeModel, reader: InputReader) {
  const prefix = reader.optionalString('NamePrefix') ?? '';
  const bus = busNamed(model, reader);
  return {
    Rules: model.bus.rules
      .filter((rule) => rule.bus === bus && rule.name.startsWith(prefix))
      .map((rule) => ruleView(model, rule)),
  };
}

/** DescribeRule: one rule by name. */
export function describeRule(model: EventBridgeModel, reader: InputReader) {
  const name = reader.raw('Name');
  const bus = busNamed(model, reader);
  const found = model.bus.rules.find((rule) => rule.bus === bus && rule.name === name);
  if (!found) throw new AwsApiError('ResourceNotFoundException', `Rule ${String(name)} does not exist.`);
  return ruleView(model, found);
}

/** ListTargetsByRule: the rule's target (Id, Arn, and its Input or InputPath), Limit 1 to 100 a page. */
export function listTargetsByRule(model: EventBridgeModel, reader: InputReader) {
  const name = reader.string('Rule');
  if (name.length > 64)
    reader.fail(
      `1 validation error detected: Value '${name}' at 'rule' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  const bus = busNamed(model, reader);
  const limit = reader.optionalInteger('Limit', 1, 100) ?? 100;
  const rule = model.bus.rules.find((candidate) => candidate.bus === bus && candidate.name === name);
  if (!rule) throw new AwsApiError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
  const target = {
    Id: rule.target.kind === 'stateMachine' ? `${rule.target.key}CloudWatchEvent` : `${rule.name}-target`,
    Arn: model.targetArn(rule.target),
    ...(rule.input === undefined ? {} : { Input: JSON.stringify(rule.input) }),
    ...(rule.inputPath === undefined ? {} : { InputPath: rule.inputPath }),
  };
  const { items, nextToken } = page([target], reader.optionalString('NextToken'), limit, {
    code: 'ValidationException',
    message: 'The nextToken is not one this service issued',
  });
  return { Targets: items, ...(nextToken ? { NextToken: nextToken } : {}) };
}
