import { EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import { sdkConfig } from '../support/clients.ts';

// The project's own event bus (serverless.yml's ReleaseEventBus): PutEvents
// onto it by name or ARN, its rule starts the release state machine, and an
// event on the default bus does not reach that rule.

const BUS = 'release-automation-dev';
let sandbox: Sandbox;
let events: EventBridgeClient;

beforeAll(async () => {
  // No function runs: a started execution is all these tests look at.
  const idle = async () => ({ releases: [], refusedTargets: [], refused: 'stubbed' });
  sandbox = await startSandbox({ port: 0, slackPort: 0, quiet: true, services: [], handlers: { plan: idle } });
  events = new EventBridgeClient(sdkConfig(sandbox.endpoint));
});

afterAll(async () => {
  events?.destroy();
  await sandbox?.stop();
});

const release = (tag: string, EventBusName?: string) => ({
  ...(EventBusName === undefined ? {} : { EventBusName }),
  Source: 'release-automation.github',
  DetailType: 'GitHub Release Published',
  Detail: JSON.stringify({ repository: 'example/web', tag }),
});

/** How many release executions have an input carrying `tag`. */
function executionsFor(tag: string): number {
  const machine = sandbox.stateMachines.byKey('release');
  return sandbox.stateMachines
    .executionsOf(machine?.arn ?? '')
    .filter((execution) => JSON.parse(execution.input).detail?.tag === tag).length;
}

/** Waits (a bounded number of turns) until an execution carries `tag`. */
async function started(tag: string): Promise<number> {
  for (let turn = 0; turn < 200 && executionsFor(tag) === 0; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return executionsFor(tag);
}

describe('the project event bus', () => {
  it('takes a GitHub release event by bus name and starts the release state machine', async () => {
    const put = await events.send(new PutEventsCommand({ Entries: [release('by-name', BUS)] }));
    expect(put.FailedEntryCount).toBe(0);
    expect(await started('by-name')).toBe(1);
  });

  it('takes it by bus ARN too', async () => {
    const arn = `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}`;
    const put = await events.send(new PutEventsCommand({ Entries: [release('by-arn', arn)] }));
    expect(put.FailedEntryCount).toBe(0);
    expect(await started('by-arn')).toBe(1);
  });

  it('does not start a release for the same event on the default bus, where its rule does not listen', async () => {
    // Put together with one for the project bus: once that one has started, the other was delivered too, or never.
    const put = await events.send(
      new PutEventsCommand({ Entries: [release('on-default'), release('beside-it', BUS)] }),
    );
    expect(put.FailedEntryCount).toBe(0);
    expect(await started('beside-it')).toBe(1);
    expect(executionsFor('on-default')).toBe(0);
  });

  it('fails an entry for a bus that does not exist', async () => {
    const put = await events.send(new PutEventsCommand({ Entries: [release('nowhere', 'no-such-bus')] }));
    expect(put).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ResourceNotFoundException' }] });
  });

  it('lists each bus its own rules', async () => {
    const onBus = await events.send(new ListRulesCommand({ EventBusName: BUS }));
    expect(onBus.Rules?.map((rule) => [rule.Name, rule.EventBusName])).toEqual([
      ['release-automation-dev-release-rule-2', BUS],
    ]);
    const onDefault = await events.send(new ListRulesCommand({}));
    expect(onDefault.Rules?.map((rule) => rule.Name)).not.toContain('release-automation-dev-release-rule-2');
    expect(onDefault.Rules?.every((rule) => rule.EventBusName === 'default')).toBe(true);
  });
});
