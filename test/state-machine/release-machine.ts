import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Harness, type MachineWorld, startHarness } from './harness.ts';

// What every state-machine test file shares: one harness over the test catalog
// (test/fixtures/catalog/state-machine.yml), a smoke-check server whose answer
// a test can change, and reads of the release and lock records.

let started: { harness: MachineWorld; records: DynamoDBDocumentClient } | undefined;
let smoke: Server | undefined;
let smokeStatus = 200;

const current = () => {
  if (!started) throw new Error('useReleaseMachine() has not started the harness');
  return started;
};

/**
 * Starts the harness for this test file (beforeAll; `start`, the scripted ECS's by default), resets the
 * world the tests share before each test and lets go of `locks` (`service#environment`) after each;
 * returns the harness once started.
 */
export function useReleaseMachine<H extends MachineWorld = Harness>(
  options: { locks?: readonly string[]; start?: (environment: Record<string, string>) => Promise<H> } = {},
): H {
  const start = options.start ?? (startHarness as unknown as (environment: Record<string, string>) => Promise<H>);
  beforeAll(async () => {
    const server = createServer((_request, response) => {
      response.writeHead(smokeStatus, { 'content-type': 'text/plain' }).end(smokeStatus === 200 ? 'ok' : 'boom');
    });
    smoke = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const harness = await start({
      SMOKE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`,
      RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/state-machine.yml', import.meta.url)),
    });
    started = { harness, records: DynamoDBDocumentClient.from(harness.dynamodb) };
  }, 60_000);

  afterAll(async () => {
    await started?.harness.stop();
    await new Promise((resolve) => smoke?.close(resolve));
  });

  beforeEach(() => {
    const { harness } = current();
    smokeStatus = 200;
    harness.slack.calls.length = 0;
    harness.slackDown(false);
    harness.reset();
  });

  afterEach(async () => {
    for (const key of options.locks ?? []) await expireLock(key);
  });

  // Read in tests and hooks, once beforeAll has started it.
  return new Proxy({} as H, { get: (_, property) => Reflect.get(current().harness, property) });
}

/** The harness useReleaseMachine() started (the scripted ECS's unless it was given another). */
export const machine = <H extends MachineWorld = Harness>(): H => current().harness as H;

/** Makes the smoke check answer `status` until the next test. */
export const answerSmoke = (status: number): void => {
  smokeStatus = status;
};

const item = async (table: string, key: Record<string, string>) =>
  (await current().records.send(new GetCommand({ TableName: current().harness.tables[table], Key: key }))).Item;

/** The release record, as the functions left it. */
export const record = (releaseId: string) => item('RELEASES_TABLE', { releaseId });

/** The target's lock record. */
export const lock = (key = 'web#staging') => item('LOCKS_TABLE', { lockKey: key });

/** Frees a lock its holder left behind (as its lease running out would), so later tests need not wait. */
export const expireLock = async (key: string) => {
  await current().records.send(
    new UpdateCommand({
      TableName: current().harness.tables.LOCKS_TABLE,
      Key: { lockKey: key },
      UpdateExpression: 'REMOVE holder, holderExecutionId, holderTag, expiresAt',
    }),
  );
};

export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Polls `condition` until it holds (a bounded number of times, not a timed assertion). */
export const until = async (condition: () => Promise<boolean> | boolean, what: string) => {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

export { THROUGH_DEPLOY } from '../support/release-paths.ts';

/** The text of every Slack message sent since the test began. */
export const slackEvents = () => machine().slack.calls.map((message) => String(message.args.text ?? ''));
