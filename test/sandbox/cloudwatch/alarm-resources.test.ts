import { describe, expect, it } from '@jest/globals';
import {
  snsAlarmEvent,
  templateAlarms,
  topicArn,
  topicSubscribers,
} from '../../../sandbox/cloudwatch/alarm-resources.ts';
import type { AlarmNotification } from '../../../sandbox/cloudwatch/alarms.ts';
import type { ServerlessConfig } from '../../../sandbox/serverless-config.ts';

// The template's alarms as the sandbox creates them: intrinsics it can resolve
// (a topic's Ref, Fn::Sub of pseudo parameters) resolved, the others skipped
// with the reason; a topic's messages routed to the functions subscribed to it.

const location = { accountId: '000000000000', region: 'us-east-1' };
const config = {
  service: 'release-automation',
  provider: { stage: 'dev' },
  functions: {
    alarmNotify: { handler: 'x', events: [{ sns: { arn: { Ref: 'AlarmTopic' }, topicName: 'AlarmTopic' } }] },
    other: { handler: 'y', events: [{ schedule: 'rate(1 minute)' }] },
  },
  stepFunctions: { stateMachines: {} },
  resources: {
    Resources: {
      AlarmTopic: { Type: 'AWS::SNS::Topic' },
      Named: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'named' } },
      Stale: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: { 'Fn::Sub': '${AWS::StackName}-stale' },
          Dimensions: [
            { Name: 'Arn', Value: { 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:x' } },
          ],
          AlarmActions: [{ Ref: 'AlarmTopic' }],
        },
      },
      Unnamed: { Type: 'AWS::CloudWatch::Alarm', Properties: { Threshold: 1 } },
      OnAQueue: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['Queue', 'QueueName'] } }] },
      },
    },
  },
} as unknown as ServerlessConfig;

describe('the template’s alarms in the sandbox', () => {
  it('resolves topic Refs and pseudo parameters, names an unnamed alarm by its logical id, skips the rest', () => {
    const { alarms, skipped } = templateAlarms(config, location);
    expect(alarms).toEqual([
      {
        logicalId: 'Stale',
        input: {
          AlarmName: 'release-automation-dev-stale',
          Dimensions: [{ Name: 'Arn', Value: 'arn:aws:states:us-east-1:000000000000:x' }],
          AlarmActions: ['arn:aws:sns:us-east-1:000000000000:release-automation-dev-AlarmTopic'],
        },
      },
      { logicalId: 'Unnamed', input: { AlarmName: 'Unnamed', Threshold: 1 } },
    ]);
    expect(skipped).toEqual([{ logicalId: 'OnAQueue', reason: 'the sandbox cannot resolve Fn::GetAtt' }]);
  });

  it('routes a topic to the functions whose sns event names it', () => {
    expect(topicArn(config, 'Named', location)).toBe('arn:aws:sns:us-east-1:000000000000:named');
    expect([...topicSubscribers(config, location)]).toEqual([
      ['arn:aws:sns:us-east-1:000000000000:release-automation-dev-AlarmTopic', ['alarmNotify']],
    ]);
  });

  it('delivers CloudWatch’s alarm message in Lambda’s SNS event', () => {
    const notification = { AlarmName: 'a', NewStateValue: 'ALARM', Region: 'us-east-1' } as AlarmNotification;
    const event = snsAlarmEvent('arn:aws:sns:us-east-1:000000000000:t', notification) as {
      Records: { EventSource: string; Sns: { TopicArn: string; Subject: string; Message: string } }[];
    };
    expect(event.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      Sns: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Subject: 'ALARM: "a" in us-east-1' },
    });
    expect(JSON.parse(event.Records[0]?.Sns.Message ?? '')).toEqual(notification);
  });
});
