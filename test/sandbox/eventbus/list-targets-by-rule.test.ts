import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import { sdkConfig } from '../support/clients.ts';

// EventBridge ListTargetsByRule through the SDK v3 client against a started
// sandbox: the targets serverless.yml gives its rules, as AWS lists them.

let sandbox: Sandbox;
let events: EventBridgeClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slackPort: 0, quiet: true, services: [] });
  events = new EventBridgeClient(sdkConfig(sandbox.endpoint));
});

afterAll(async () => {
  events?.destroy();
  await sandbox?.stop();
});

describe('ListTargetsByRule', () => {
  it("lists the release rule's state machine with the Id serverless-step-functions gives it", async () => {
    const release = sandbox.stateMachines.byKey('release');
    const { Targets, NextToken } = await events.send(
      new ListTargetsByRuleCommand({ Rule: 'release-automation-dev-release-rule-1' }),
    );
    expect(Targets).toEqual([{ Id: 'releaseCloudWatchEvent', Arn: release?.arn }]);
    expect(release?.arn).toMatch(/^arn:aws:states:us-east-1:000000000000:stateMachine:/);
    expect(NextToken).toBeUndefined();
  });

  it("lists a function rule's function by its ARN", async () => {
    const rule = sandbox.eventBus.rules.find((candidate) => candidate.name === 'release-automation-dev-abandon-rule-1');
    expect(rule?.target).toMatchObject({ kind: 'function' });
    const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: rule?.name, EventBusName: 'default' }));
    expect(Targets).toEqual([
      {
        Id: `${rule?.name}-target`,
        Arn: expect.stringMatching(/^arn:aws:lambda:us-east-1:000000000000:function:release-automation-dev-abandon$/),
      },
    ]);
  });

  it.each([
    ['an unknown rule', { Rule: 'no-such-rule' }, 'ResourceNotFoundException'],
    [
      'another event bus',
      { Rule: 'release-automation-dev-release-rule-1', EventBusName: 'custom' },
      'ResourceNotFoundException',
    ],
    ['no rule', {}, 'ValidationException'],
    ['a Limit of 0', { Rule: 'release-automation-dev-release-rule-1', Limit: 0 }, 'ValidationException'],
    [
      'a NextToken it did not issue',
      { Rule: 'release-automation-dev-release-rule-1', NextToken: 'not-a-token' },
      'ValidationException',
    ],
  ] as const)('refuses %s', async (_case, input, name) => {
    await expect(events.send(new ListTargetsByRuleCommand(input as never))).rejects.toMatchObject({
      name,
      $metadata: { httpStatusCode: 400 },
    });
  });
});
