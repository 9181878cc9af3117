// EventBridge over JSON 1.1 (`AWSEvents`): PutEvents onto the default bus, and
// the rules serverless.yml declares, for `aws events list-rules` and friends.
import type { AwsLocation } from '../aws/location.ts';
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import type { EventBus } from './bus.ts';
import { putEvents } from './put-events.ts';
import { describeRule, listRules, listTargetsByRule } from './rule-operations.ts';
import type { RuleTarget } from './rules.ts';
import { EVENTBRIDGE_WIRE, type EventBridgeModel } from './wire.ts';

/** The EventBridge operations the sandbox implements (sandbox/eventbus/README.md lists them). */
export const EVENTBRIDGE_OPERATIONS: OperationTable<EventBridgeModel> = {
  PutEvents: putEvents,
  ListRules: listRules,
  DescribeRule: describeRule,
  ListTargetsByRule: listTargetsByRule,
};

/** The EventBridge API over the default bus; `targetArn` names what each rule starts. */
export function createEventBridgeEmulator(
  bus: EventBus,
  location: AwsLocation,
  targetArn: (target: RuleTarget) => string,
): TableEmulator<EventBridgeModel> {
  return new TableEmulator(EVENTBRIDGE_WIRE, EVENTBRIDGE_OPERATIONS, { bus, location, targetArn });
}
