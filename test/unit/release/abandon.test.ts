import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import type { ChatMessage, Notifier } from '../../../src/platform/notifier.ts';
import { abandonReleases, type StoppedExecution } from '../../../src/release/abandon.ts';
import { claimRelease } from '../../../src/release/claim.ts';
import { parseStoppedExecution } from '../../../src/release/events/execution-status.ts';
import { finishRelease } from '../../../src/release/finish.ts';
import { releaseIdFor } from '../../../src/release/record.ts';
import type { ReleaseRequest } from '../../../src/release/release.ts';
import { releaseRequest } from '../../support/release-request.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// A release execution stopped from outside (StopExecution, its timeout) runs
// none of its own last states: `abandon`, started by the execution's status
// change event, ends its releases (found by the execution's ARN, whatever
// started it), frees their targets and, where a deployment may have been
// started, raises the manual-action alert.

let tables: ReleaseTables;
let clock: Date;
let posted: ChatMessage[];
let slackDown: boolean;

const notifier: Notifier = {
  async post(message) {
    if (slackDown) throw new Error('An API error occurred: service_unavailable');
    posted.push(message);
    return { channel: 'C0RELEASES', ts: `1790000000.00000${posted.length}` };
  },
};

const environment = (name: string) => ({
  cluster: 'sandbox',
  service: 'web',
  container: 'web',
  repository: 'demo/web',
  strategy: 'rolling',
  smoke: [],
  slackChannel: `#releases-${name}`,
});
const ENVIRONMENTS = [
  'held',
  'waiting',
  'finished',
  'foreign',
  'twice',
  'down',
  'retried',
  'slack',
  'gone',
  'asked',
  'ledger',
] as const;
const catalog = catalogSchema.parse({
  services: { web: { environments: Object.fromEntries(ENVIRONMENTS.map((name) => [name, environment(name)])) } },
});

beforeAll(async () => {
  tables = await startReleaseTables('abandon');
}, 60_000);
afterAll(() => tables.stop());
beforeEach(() => {
  clock = new Date('2026-11-21T10:30:00Z');
  posted = [];
  slackDown = false;
});

const deps = () => ({ catalog, store: tables.store, notifier, now: () => clock });
const ARN = 'arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:';

/** The request a push with this event id makes for one environment, as plan names it. */
const requestFor = (environment: string, eventId: string, tag: string, at = '2026-11-21T10:15:30Z'): ReleaseRequest => {
  const request = releaseRequest({ environment, tag, at });
  return {
    ...request,
    releaseId: releaseIdFor(request.target, eventId),
    target: { ...request.target, slackChannel: `#releases-${environment}` },
    trigger: { ...request.trigger, eventId },
  };
};
/** The execution, stopped: its status change event (the sample's, whose input is a push), parsed. */
const stopped = (execution: string, status = 'ABORTED', input?: string | null): StoppedExecution => {
  const event = JSON.parse(readFileSync('events/aws.states/execution-aborted.json', 'utf8'));
  event.detail = { ...event.detail, executionArn: `${ARN}${execution}`, status };
  if (input !== undefined) event.detail.input = input;
  return parseStoppedExecution(event);
};
const record = async (releaseId: string) =>
  (await tables.documents.send(new GetCommand({ TableName: tables.environment.RELEASES_TABLE, Key: { releaseId } })))
    .Item;
const claim = (request: ReleaseRequest, execution: string) =>
  claimRelease({ request, executionId: `${ARN}${execution}` }, deps());

describe('abandon', () => {
  it('reads the status change event Step Functions sends', () => {
    const event = JSON.parse(readFileSync('events/aws.states/execution-aborted.json', 'utf8'));
    expect(parseStoppedExecution(event)).toEqual({
      executionArn: event.detail.executionArn,
      status: 'ABORTED',
      stoppedAt: new Date(event.detail.stopDate).toISOString(),
      error: 'Operator.Stopped',
      cause: 'stopped from the console',
    });
    expect(() => parseStoppedExecution({ ...event, detail: { ...event.detail, status: 'SUCCEEDED' } })).toThrow(
      /invalid input/,
    );
  });

  it('ends a release that held its target as ABANDONED, frees the target and raises the alert', async () => {
    const request = requestFor('held', 'event-held', 'v7');
    expect((await claim(request, 'held-1')).status).toBe('ACQUIRED');
    clock = new Date('2026-11-21T10:34:00Z');

    const result = await abandonReleases(stopped('held-1'), deps());

    expect(result.abandoned).toEqual([{ releaseId: request.releaseId, heldTarget: true, alerted: true }]);
    expect(await record(request.releaseId)).toMatchObject({
      outcome: 'ABANDONED',
      endedAt: '2026-11-21T10:34:00.000Z',
      reason: expect.stringMatching(
        /^execution held-1 ABORTED at .* before the release finished \(Operator\.Stopped: stopped from the console\)$/,
      ),
    });
    expect(posted).toHaveLength(1);
    expect(posted[0]?.channel).toBe('#releases-held');
    expect(posted[0]?.text).toMatch(/^MANUAL ACTION NEEDED: the release of web v7 to held was stopped/);
    expect(JSON.stringify(posted[0]?.blocks)).toContain('<!here>');
    expect(JSON.stringify(posted[0]?.blocks)).toContain('sandbox/web');
    // The next push takes the target now, not when the lease runs out.
    const next = requestFor('held', 'event-held-next', 'v8', '2026-11-21T10:33:00Z');
    expect((await claim(next, 'held-2')).status).toBe('ACQUIRED');
  });

  it('withdraws the pending approval of each release it ends; a failed withdrawal is reported, the target freed', async () => {
    const request = requestFor('asked', 'event-asked', 'v5');
    await claim(request, 'asked-1');
    const withdrawn: string[] = [];
    const withdrawApproval = async (releaseId: string, reason: string) => {
      withdrawn.push(`${releaseId}: ${reason}`);
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };

    const result = await abandonReleases(stopped('asked-1'), { ...deps(), withdrawApproval });

    expect(withdrawn).toEqual([expect.stringMatching(new RegExp(`^${request.releaseId}: execution asked-1 ABORTED`))]);
    expect(result.abandoned).toEqual([
      {
        releaseId: request.releaseId,
        heldTarget: true,
        alerted: true,
        withdrawError: 'ThrottlingException: Rate exceeded',
      },
    ]);
    expect((await tables.store.readLock('web#asked'))?.holder).toBeUndefined();
  });

  it('ends a release that was waiting without an alert, and leaves the holder alone', async () => {
    const holder = requestFor('waiting', 'event-holder', 'v1', '2026-11-21T10:10:00Z');
    const waiting = requestFor('waiting', 'event-waiting', 'v2', '2026-11-21T10:12:00Z');
    await claim(holder, 'holder');
    expect((await claim(waiting, 'waiter')).status).toBe('BUSY');

    const result = await abandonReleases(stopped('waiter', 'TIMED_OUT'), deps());

    expect(result.abandoned).toEqual([{ releaseId: waiting.releaseId, heldTarget: false }]);
    expect(await record(waiting.releaseId)).toMatchObject({ outcome: 'ABANDONED' });
    expect((await record(waiting.releaseId))?.reason).toContain('TIMED_OUT');
    expect(posted).toEqual([]);
    expect((await tables.store.readLock('web#waiting'))?.holder?.releaseId).toBe(holder.releaseId);
  });

  it('leaves a release its execution finished, and one another execution owns', async () => {
    const finished = requestFor('finished', 'event-finished', 'v3');
    await claim(finished, 'finisher');
    await finishRelease({ request: finished, executionId: `${ARN}finisher`, outcome: 'ROLLED_BACK' }, deps());
    const foreign = requestFor('foreign', 'event-foreign', 'v3');
    await claim(foreign, 'owner');

    expect((await abandonReleases(stopped('finisher', 'FAILED'), deps())).abandoned).toEqual([]);
    // A duplicate execution of the same push, stopped: the release is the owner's.
    expect((await abandonReleases(stopped('duplicate'), deps())).abandoned).toEqual([]);

    expect(await record(finished.releaseId)).toMatchObject({ outcome: 'ROLLED_BACK' });
    expect(await record(foreign.releaseId)).toMatchObject({ outcome: 'RUNNING' });
    expect((await tables.store.readLock('web#foreign'))?.holder?.releaseId).toBe(foreign.releaseId);
    expect(posted).toEqual([]);
  });

  it('does nothing more when the event comes again', async () => {
    const request = requestFor('twice', 'event-twice', 'v4');
    await claim(request, 'twice');
    const event = stopped('twice');
    await abandonReleases(event, deps());
    clock = new Date('2026-11-21T10:50:00Z');

    expect((await abandonReleases(event, deps())).abandoned).toEqual([]);
    expect(posted).toHaveLength(1);
    expect(await record(request.releaseId)).toMatchObject({ endedAt: '2026-11-21T10:30:00.000Z' });
  });

  it('finishes on a retry what a try that failed half-way did not: the alert and the unlock', async () => {
    const request = requestFor('retried', 'event-retried', 'v6');
    await claim(request, 'retried');
    const event = stopped('retried');
    const throttled = new Error('Rate exceeded');
    const failingUnlock = {
      ...deps(),
      store: { ...tables.store, releaseLock: () => Promise.reject(throttled) },
      notifier: { post: () => Promise.reject(new Error('An API error occurred: service_unavailable')) },
    };
    await expect(abandonReleases(event, failingUnlock)).rejects.toBe(throttled);
    expect(await record(request.releaseId)).toMatchObject({ outcome: 'ABANDONED' });

    const retried = await abandonReleases(event, deps());

    expect(retried.abandoned).toEqual([{ releaseId: request.releaseId, heldTarget: true, alerted: true }]);
    expect(posted).toHaveLength(1);
    expect((await tables.store.readLock('web#retried'))?.holder).toBeUndefined();
    expect((await abandonReleases(event, deps())).abandoned).toEqual([]);
  });

  it('still ends the release and frees the target when Slack is down, and says the alert failed', async () => {
    const request = requestFor('down', 'event-down', 'v5');
    await claim(request, 'down');
    slackDown = true;

    const result = await abandonReleases(stopped('down'), deps());

    expect(result.abandoned).toEqual([
      {
        releaseId: request.releaseId,
        heldTarget: true,
        alerted: false,
        alertError: 'An API error occurred: service_unavailable',
      },
    ]);
    expect(await record(request.releaseId)).toMatchObject({ outcome: 'ABANDONED' });
    expect((await tables.store.readLock('web#down'))?.holder).toBeUndefined();
  });

  it('ends the releases of an execution whatever started it, its input read or not (too large for the event)', async () => {
    const asked = requestFor('slack', 'slack-1795256100-U0DEPLOYER', 'v9');
    const request: ReleaseRequest = {
      ...asked,
      trigger: { ...asked.trigger, source: 'slack-command' },
      requestedBy: { name: 'U0DEPLOYER', slackUserId: 'U0DEPLOYER' },
      hotfix: true,
    };
    await claim(request, 'slack');
    const planned = JSON.stringify({ releases: [request], refusedTargets: [] });

    expect((await abandonReleases(stopped('slack', 'ABORTED', null), deps())).abandoned).toEqual([
      { releaseId: request.releaseId, heldTarget: true, alerted: true },
    ]);
    expect(await record(request.releaseId)).toMatchObject({ outcome: 'ABANDONED' });
    expect(posted[0]?.channel).toBe('#releases-slack');
    expect((await abandonReleases(stopped('slack', 'ABORTED', planned), deps())).abandoned).toEqual([]);
  });

  it('ends nothing for an execution that recorded no release (stopped before claiming, or started by hand)', async () => {
    expect(await abandonReleases(stopped('by-hand', 'FAILED', '{"hello":"world"}'), deps())).toEqual({
      executionArn: `${ARN}by-hand`,
      abandoned: [],
    });
    expect(posted).toEqual([]);
  });

  it('still ends a release whose target left the catalog and frees it, saying there was nowhere to alert', async () => {
    const request = requestFor('gone', 'event-gone', 'v1');
    await claim(request, 'gone');
    const left = ENVIRONMENTS.filter((name) => name !== 'gone').map((name) => [name, environment(name)]);
    const smaller = catalogSchema.parse({ services: { web: { environments: Object.fromEntries(left) } } });

    const result = await abandonReleases(stopped('gone'), { ...deps(), catalog: smaller });

    expect(result.abandoned).toEqual([
      {
        releaseId: request.releaseId,
        heldTarget: true,
        alerted: false,
        alertError: 'web/gone is no longer in the service catalog: no channel to alert',
      },
    ]);
    expect(await record(request.releaseId)).toMatchObject({ outcome: 'ABANDONED' });
    expect((await tables.store.readLock('web#gone'))?.holder).toBeUndefined();
    expect(posted).toEqual([]);
  });

  it('hands each abandoned release’s record to the ledger, on a retry of the event too', async () => {
    const request = requestFor('ledger', 'event-ledger', 'v9');
    await claim(request, 'ledger-1');
    const seen: unknown[] = [];
    const ledger = async (ended: unknown) => {
      seen.push(ended);
    };

    await abandonReleases(stopped('ledger-1'), { ...deps(), ledger });
    await abandonReleases(stopped('ledger-1'), { ...deps(), ledger });

    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ releaseId: request.releaseId, outcome: 'ABANDONED' });
    expect(seen[1]).toEqual(seen[0]);
  });
});
