import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoRotationLock } from '../../../src/rotation/adapters/rotation-lock.ts';
import type { RotationLock } from '../../../src/rotation/ports/rotation-lock.ts';
import { type ReleaseTables, startReleaseTables } from '../../support/release-tables.ts';

// The rotation lock against a real (local) DynamoDB: the conditional writes are the lock.

let tables: ReleaseTables;
let lock: RotationLock;
beforeAll(async () => {
  tables = await startReleaseTables('rotation-lock');
  lock = createDynamoRotationLock({ client: tables.documents, locksTable: tables.environment.LOCKS_TABLE ?? '' });
}, 60_000);
afterAll(() => tables.stop());

const lease = (now: string, expiresAt: string) => ({ now, expiresAt });

describe('rotation lock', () => {
  it('is held by one rotation at a time, until it lets go or its lease runs out', async () => {
    const p = '/app/lease';
    expect(await lock.acquire(p, 'r1', lease('2026-12-01T00:00:00Z', '2026-12-01T03:00:00Z'))).toEqual({
      status: 'ACQUIRED',
    });
    expect(await lock.acquire(p, 'r2', lease('2026-12-01T01:00:00Z', '2026-12-01T04:00:00Z'))).toEqual({
      status: 'BUSY',
      holder: 'r1',
      expiresAt: '2026-12-01T03:00:00Z',
    });
    // r1 resumed takes it back; r1 crashed for good: after its lease, r2 gets it.
    expect((await lock.acquire(p, 'r1', lease('2026-12-01T01:00:00Z', '2026-12-01T04:00:00Z'))).status).toBe(
      'ACQUIRED',
    );
    expect((await lock.acquire(p, 'r2', lease('2026-12-01T04:00:01Z', '2026-12-01T07:00:00Z'))).status).toBe(
      'ACQUIRED',
    );
    // r1 can no longer let go of what r2 holds.
    await lock.release(p, 'r1', { completed: true, at: '2026-12-01T04:00:02Z' });
    expect((await lock.acquire(p, 'r3', lease('2026-12-01T04:00:03Z', '2026-12-01T07:00:00Z'))).status).toBe('BUSY');
  });

  it('remembers a completed rotation so the same id never runs twice; a failed one may run again', async () => {
    const p = '/app/completed';
    await lock.acquire(p, 'r1', lease('2026-12-01T00:00:00Z', '2026-12-01T03:00:00Z'));
    await lock.release(p, 'r1', { completed: false, at: '2026-12-01T00:10:00Z' });
    expect((await lock.acquire(p, 'r1', lease('2026-12-01T00:20:00Z', '2026-12-01T03:00:00Z'))).status).toBe(
      'ACQUIRED',
    );
    await lock.release(p, 'r1', { completed: true, at: '2026-12-01T00:30:00Z' });
    expect((await lock.acquire(p, 'r1', lease('2026-12-01T00:40:00Z', '2026-12-01T03:00:00Z'))).status).toBe(
      'COMPLETED',
    );
    expect((await lock.acquire(p, 'r2', lease('2026-12-01T00:40:00Z', '2026-12-01T03:00:00Z'))).status).toBe(
      'ACQUIRED',
    );
    const { Item } = await tables.documents.send(
      new GetCommand({ TableName: tables.environment.LOCKS_TABLE, Key: { lockKey: `rotation#${p}` } }),
    );
    expect(Item).toMatchObject({ holder: 'r2', lastRotationId: 'r1', lastRotatedAt: '2026-12-01T00:30:00Z' });
  });

  it("renews the lease of the rotation that holds it, even past it, and no other's", async () => {
    const p = '/app/renewed';
    await lock.acquire(p, 'r1', lease('2026-12-01T00:00:00Z', '2026-12-01T03:00:00Z'));
    // A roll still running at 03:10: the lease it took at begin has run out, but no one took the lock.
    expect(await lock.renew(p, 'r1', '2026-12-01T06:10:00Z')).toBe(true);
    expect(await lock.acquire(p, 'r2', lease('2026-12-01T04:00:00Z', '2026-12-01T07:00:00Z'))).toMatchObject({
      status: 'BUSY',
      expiresAt: '2026-12-01T06:10:00Z',
    });
    expect(await lock.renew(p, 'r2', '2026-12-01T09:00:00Z')).toBe(false);
    await lock.release(p, 'r1', { completed: true, at: '2026-12-01T04:30:00Z' });
    expect(await lock.renew(p, 'r1', '2026-12-01T07:30:00Z')).toBe(false);
  });
});
