// EventBridge over JSON 1.1 (`AWSEvents`): PutEvents onto the default bus,
// with per-entry results as AWS gives them (a bad entry fails alone and is
// counted in FailedEntryCount), and the rules for `aws events list-rules`.
import { optionalList, optionalString } from '../aws/input.ts';
import { AwsApiError, type AwsServiceEmulator } from '../aws/service.ts';
import type { SandboxLocation } from '../lambda/functions.ts';
import { type EventBus, newEvent } from './bus.ts';

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export function createEventBridgeEmulator(bus: EventBus, location: SandboxLocation): AwsServiceEmulator {
  const busArn = `arn:aws:events:${location.region}:${location.accountId}:event-bus/default`;
  const ruleArn = (name: string) => `arn:aws:events:${location.region}:${location.accountId}:rule/${name}`;
  const failure = (ErrorCode: string, ErrorMessage: string): EntryResult => ({ ErrorCode, ErrorMessage });

  const putEntry = (entry: Record<string, unknown>): EntryResult => {
    const source = entry.Source;
    const detailType = entry.DetailType;
    if (typeof source !== 'string' || source === '') {
      return failure('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
    }
    if (typeof detailType !== 'string' || detailType === '') {
      return failure(
        'InvalidArgument',
        'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      );
    }
    if (typeof entry.Detail !== 'string') {
      return failure('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
    }
    const busName = entry.EventBusName;
    if (busName !== undefined && busName !== 'default' && busName !== busArn) {
      return failure('ResourceNotFoundException', `Event bus ${String(busName)} does not exist.`);
    }
    // Only AWS services may send events whose source starts with "aws.".
    if (source.startsWith('aws.')) return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return failure('MalformedDetail', 'Detail is malformed.');
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return failure('MalformedDetail', 'Detail is malformed.');
    }
    const resources = Array.isArray(entry.Resources) ? entry.Resources.filter((item) => typeof item === 'string') : [];
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
    const event = newEvent(
      {
        source,
        'detail-type': detailType,
        detail,
        resources,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      location,
    );
    bus.publish(event);
    return { EventId: event.id };
  };

  const rules = () =>
    bus.rules.map((rule) => ({
      Name: rule.name,
      Arn: ruleArn(rule.name),
      EventPattern: JSON.stringify(rule.pattern),
      State: 'ENABLED',
      EventBusName: 'default',
    }));

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    PutEvents(input) {
      const entries = optionalList(input, 'Entries') ?? [];
      if (entries.length < 1 || entries.length > 10) {
        throw new AwsApiError('ValidationException', 'PutEvents takes between 1 and 10 entries.');
      }
      const results = entries.map(putEntry);
      return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
    },
    ListRules(input) {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      return { Rules: rules().filter((rule) => rule.Name.startsWith(prefix)) };
    },
    DescribeRule(input) {
      const found = rules().find((rule) => rule.Name === input.Name);
      if (!found) throw new AwsApiError('ResourceNotFoundException', `Rule ${String(input.Name)} does not exist.`);
      return found;
    },
  };

  return {
    targetPrefix: 'AWSEvents',
    signingName: 'events',
    async handle(operation, input) {
      const run = operations[operation];
      if (!run)
        throw new AwsApiError('UnknownOperationException', `The sandbox's EventBridge does not support ${operation}`);
      return run(input);
    },
  };
}
