import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LedgerStore } from '../../../src/insight/index.ts';
import {
  type HistoryEventLike,
  type LedgerEvent,
  recordReleaseLedger,
  releaseLedgerEvents,
  rotationLedgerEvent,
} from '../../../src/insight/index.ts';
import { createDynamoLedgerStore } from '../../../src/insight/wiring.ts';
import type { StoredRelease } from '../../../src/release/index.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// The audit ledger: events derived from a release's record under keys of their
// own facts; the store writes a key once, so a retried finish makes no second event.

const record: StoredRelease = {
  releaseId: 'web-production-slack-r1',
  executionId: 'arn:aws:states:us-east-1:123456789012:execution:release:e1',
  target: 'web#production',
  service: 'web',
  environment: 'production',
  trigger: { source: 'slack-command', eventId: 'r1', at: '2026-11-21T10:00:00.000Z' },
  repository: 'demo/web',
  tag: 'v5',
  digest: 'sha256:5555',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/web@sha256:5555',
  previousTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:5',
  startedAt: '2026-11-21T10:00:01.000Z',
  endedAt: '2026-11-21T10:09:00.000Z',
  outcome: 'SUCCEEDED',
  requestedBy: { name: 'U0DEPLOYER', slackUserId: 'U0DEPLOYER' },
  decisions: [{ approvalId: 'ap-1', verdict: 'APPROVED', by: 'U0APPROVER', at: '2026-11-21T10:02:00.000Z' }],
  analyses: [
    {
      verdict: 'PASS',
      decision: 'CONTINUE',
      reason: 'no metric failed',
      window: { start: '2026-11-21T10:03:00.000Z', end: '2026-11-21T10:04:00.000Z' },
      metrics: [
        { metric: 'error-rate', verdict: 'PASS', reason: '0.4% vs 0.5%', canary: { errors: 2, requests: 500 } },
      ],
    },
  ],
};

describe('releaseLedgerEvents', () => {
  it('records who asked, who approved, each analysis, the digest and task definition, and how it ended', () => {
    const events = releaseLedgerEvents(record);
    expect(events.map((event) => [event.kind, event.by])).toEqual([
      ['requested', 'U0DEPLOYER'],
      ['approved', 'U0APPROVER'],
      ['analysed', 'canary-analysis'],
      ['deployed', 'state-machine'],
      ['ended', 'state-machine'],
    ]);
    expect(events.find((event) => event.kind === 'deployed')?.detail).toMatchObject({
      digest: 'sha256:5555',
      taskDefinitionArn: record.taskDefinitionArn,
    });
    expect(events.find((event) => event.kind === 'analysed')?.detail).toMatchObject({
      verdict: 'PASS',
      metrics: [{ metric: 'error-rate', canary: { errors: 2, requests: 500 } }],
    });
    for (const event of events) expect(event.target).toBe('web#production');
  });

  it('keys each event by its own fact: the same record gives the same keys, all distinct', () => {
    const keys = releaseLedgerEvents(record).map((event) => event.key);
    expect(releaseLedgerEvents(structuredClone(record)).map((event) => event.key)).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe('2026-11-21T10:00:01.000Z#web-production-slack-r1#requested');
  });

  it('says who aborted a release and records a rejection and the scan', () => {
    const events = releaseLedgerEvents({
      ...record,
      outcome: 'ROLLED_BACK',
      control: {
        action: 'abort',
        releaseId: record.releaseId,
        requestedBy: 'U0OPS',
        requestedAt: '2026-11-21T10:05:00Z',
      },
      decisions: [
        { approvalId: 'ap-2', verdict: 'REJECTED', by: 'U0APPROVER', at: '2026-11-21T10:02:00Z', reason: 'not today' },
      ],
      scan: { status: 'COMPLETE', severityCounts: { HIGH: 1 }, counted: { critical: 0, high: 1 } },
    } as StoredRelease);
    expect(events.map((event) => [event.kind, event.by])).toEqual(
      expect.arrayContaining([
        ['rejected', 'U0APPROVER'],
        ['scanned', 'ecr-scan'],
        ['ended', 'U0OPS'],
      ]),
    );
  });

  it('records a rotation by its id, never a value', () => {
    const event = rotationLedgerEvent(
      { parameter: '/demo/web-db', rotationId: 'rot-1', outcome: 'ROTATED', version: 3, previousVersion: 2 },
      '2026-11-21T11:00:00.000Z',
    );
    expect(event).toMatchObject({ target: 'secret#/demo/web-db', key: 'rotation#rot-1#rotated', by: 'schedule' });
    expect(Object.keys(event.detail).sort()).toEqual(['outcome', 'parameter', 'previousVersion', 'version']);
  });
});

describe('the ledger store', () => {
  let tables: ReleaseTables;
  let ledger: LedgerStore;
  let auditTable: string;
  beforeAll(async () => {
    tables = await startReleaseTables('ledger');
    auditTable = tables.environment.AUDIT_TABLE ?? '';
    ledger = createDynamoLedgerStore(tables.documents, auditTable);
  }, 60_000);
  afterAll(() => tables.stop());

  it('appends each event once: a retried finish writes nothing new and changes nothing', async () => {
    const history: HistoryEventLike[] = [
      { type: 'ExecutionStarted' },
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Plan' } },
      { type: 'LambdaFunctionScheduled' },
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'CanaryCheck' } },
      { type: 'LambdaFunctionScheduled' },
    ];
    const first = await recordReleaseLedger(record, { ledger, history: { read: async () => history } });
    // The retry sees a longer history: its cost differs, yet the first event stands.
    const longer = [...history, { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Finish' } }];
    const retry = await recordReleaseLedger(record, { ledger, history: { read: async () => longer } });
    expect(first).toMatchObject({ written: 5, existing: 0 });
    expect(retry).toMatchObject({ written: 0, existing: 5 });
    const events = await ledger.list({ service: 'web', since: '2026-11-01T00:00:00Z' });
    expect(events).toHaveLength(5);
    const ended = events.find((event) => event.kind === 'ended') as LedgerEvent;
    expect(ended.detail.cost).toMatchObject({ stateTransitions: 2, lambdaInvocations: 2, analyses: 1 });
  });

  it('refuses to overwrite an event, whatever it carries', async () => {
    const [requested] = releaseLedgerEvents(record);
    if (!requested) throw new Error('no event');
    expect(await ledger.append({ ...requested, by: 'someone-else' })).toBe(false);
    const stored = await tables.documents.send(
      new GetCommand({ TableName: auditTable, Key: { target: requested.target, key: requested.key } }),
    );
    expect(stored.Item?.by).toBe('U0DEPLOYER');
  });

  it('lists by service and time, oldest first', async () => {
    await tables.documents.send(
      new PutCommand({
        TableName: auditTable,
        Item: {
          ...rotationLedgerEvent({ parameter: '/p', rotationId: 'r', outcome: 'ROTATED' }, '2026-11-22T00:00:00Z'),
        },
      }),
    );
    expect((await ledger.list({ service: 'web', since: '2026-11-21T10:05:00Z' })).map((e) => e.kind)).toEqual([
      'deployed',
      'ended',
    ]);
    const all = await ledger.list({ since: '2026-11-01T00:00:00Z' });
    expect(all.at(-1)?.kind).toBe('rotated');
  });
});
