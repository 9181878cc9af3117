import { constraintWording } from '../aws/input-wording.ts';
import type { AwsLocation } from '../aws/location.ts';
import type { ServiceWire } from '../aws/operation-table.ts';
import type { EventBus } from './bus.ts';
import type { RuleTarget } from './rules.ts';

/** How EventBridge is reached (JSON 1.1, X-Amz-Target AWSEvents.<Operation>) and its input errors. */
export const EVENTBRIDGE_WIRE: ServiceWire = {
  name: 'EventBridge',
  targetPrefix: 'AWSEvents',
  signingName: 'events',
  errors: { invalid: 'ValidationException', missing: 'ValidationException', wording: constraintWording },
};

/** What the EventBridge operations act on: the default bus and its rules. */
export interface EventBridgeModel {
  bus: EventBus;
  location: AwsLocation;
  /** The ARN of what a rule starts (a state machine's, a function's). */
  targetArn(target: RuleTarget): string;
}

/** The default bus's ARN. */
export const defaultBusArn = (location: AwsLocation): string => busArn(location, 'default');

/** A bus's ARN. */
export const busArn = ({ region, accountId }: AwsLocation, name: string): string =>
  `arn:aws:events:${region}:${accountId}:event-bus/${name}`;

/** The bus an EventBusName (a name or an ARN; absent: `default`) names, or undefined when there is none. */
export function namedBus(
  { bus, location }: Pick<EventBridgeModel, 'bus' | 'location'>,
  named: unknown,
): string | undefined {
  if (named === undefined) return 'default';
  return bus.buses.find((name) => named === name || named === busArn(location, name));
}
