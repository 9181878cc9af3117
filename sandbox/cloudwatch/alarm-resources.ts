import { randomUUID } from 'node:crypto';
import type { ServerlessConfig } from '../serverless-config.ts';
import type { AlarmNotification } from './alarms.ts';

// The template's AWS::CloudWatch::Alarm resources as the sandbox creates them
// at start (through PutMetricAlarm, so its checks apply), and the routes of
// their SNS topics: the sandbox has no SNS API; a message to a topic of the
// template goes to each function serverless.yml subscribes to it (an `sns`
// event with `arn: !Ref <topic>`), in Lambda's SNS event. An alarm whose
// properties name what the sandbox does not have (e.g. an SQS queue's
// attribute) is skipped, with the reason.

type Location = { accountId: string; region: string };

/** A property the sandbox cannot resolve. */
class Unresolvable extends Error {}

const stackName = (config: ServerlessConfig) => `${config.service}-${config.provider.stage ?? 'dev'}`;

/** The ARN `!Ref` gives a topic of the template: its TopicName, or the name CloudFormation would make. */
export function topicArn(config: ServerlessConfig, logicalId: string, location: Location): string {
  const name = config.resources.Resources[logicalId]?.Properties?.TopicName;
  const topic = typeof name === 'string' ? name : `${stackName(config)}-${logicalId}`;
  return `arn:aws:sns:${location.region}:${location.accountId}:${topic}`;
}

function resolve(value: unknown, config: ServerlessConfig, location: Location): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, config, location));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) {
    const id = String(object.Ref);
    if (config.resources.Resources[id]?.Type === 'AWS::SNS::Topic') return topicArn(config, id, location);
    throw new Unresolvable(`{Ref: ${id}}`);
  }
  if ('Fn::Sub' in object && typeof object['Fn::Sub'] === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': location.region,
      'AWS::AccountId': location.accountId,
      'AWS::StackName': stackName(config),
    };
    return object['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const known = pseudo[name];
      if (known === undefined) throw new Unresolvable(`\${${name}}`);
      return known;
    });
  }
  const intrinsic = Object.keys(object).find((key) => key.startsWith('Fn::'));
  if (intrinsic) throw new Unresolvable(intrinsic);
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, resolve(item, config, location)]));
}

/** The template's alarms as PutMetricAlarm inputs (AlarmName: its own, or the logical id), and those skipped. */
export function templateAlarms(
  config: ServerlessConfig,
  location: Location,
): {
  alarms: { logicalId: string; input: Record<string, unknown> }[];
  skipped: { logicalId: string; reason: string }[];
} {
  const alarms: { logicalId: string; input: Record<string, unknown> }[] = [];
  const skipped: { logicalId: string; reason: string }[] = [];
  for (const [logicalId, resource] of Object.entries(config.resources.Resources)) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm') continue;
    try {
      const input = resolve(resource.Properties, config, location) as Record<string, unknown>;
      alarms.push({ logicalId, input: { AlarmName: logicalId, ...input } });
    } catch (error) {
      if (!(error instanceof Unresolvable)) throw error;
      skipped.push({ logicalId, reason: `the sandbox cannot resolve ${error.message}` });
    }
  }
  return { alarms, skipped };
}

/** The functions subscribed to each topic of the template (`sns` events naming it by `!Ref`), by topic ARN. */
export function topicSubscribers(config: ServerlessConfig, location: Location): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  for (const [key, fn] of Object.entries(config.functions)) {
    for (const event of fn.events ?? []) {
      const sns = event.sns as { arn?: { Ref?: unknown } } | undefined;
      const ref = sns?.arn?.Ref;
      if (typeof ref !== 'string') continue;
      const arn = topicArn(config, ref, location);
      routes.set(arn, [...(routes.get(arn) ?? []), key]);
    }
  }
  return routes;
}

/** Lambda's SNS event for one alarm notification published to `topic`. */
export function snsAlarmEvent(topic: string, notification: AlarmNotification): unknown {
  const subject = `${notification.NewStateValue}: "${notification.AlarmName}" in ${notification.Region}`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topic}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topic,
          Subject: subject.slice(0, 100),
          Message: JSON.stringify(notification),
          Timestamp: notification.StateChangeTime,
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
}
