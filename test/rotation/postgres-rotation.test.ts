import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { makeServerTls } from '../../sandbox/postgres/tls.ts';
import { readCaBundle } from '../../src/rotation/adapters/ca-bundle.ts';
import { createPostgresTarget } from '../../src/rotation/adapters/postgres-target.ts';
import { parseCredential, pendingParameterName } from '../../src/rotation/rotation.ts';
import { endRotation } from '../../src/rotation/steps.ts';
import { DATABASE, PARAMETER, type RotationWorld, rotationOf, startRotationWorld } from '../support/rotation-world.ts';
import { rotate, runStep, STEPS } from './steps.ts';

// Rotations of a postgres-credentials secret against a real PostgreSQL (from
// npm), SSM as the sandbox emulates it, and the lock in dynalite.

let world: RotationWorld;
beforeAll(async () => {
  world = await startRotationWorld();
}, 60_000);
afterAll(async () => {
  await world?.stop();
});

const credentialAt = async (selector: { label: string } | { version: number }) => {
  const found = await world.store.read(PARAMETER, selector);
  return found && parseCredential(found.value, 'test');
};
const works = (credential: { username: string; password: string } | undefined) =>
  credential === undefined ? Promise.resolve(false) : world.postgres.logsIn(DATABASE, credential);

/** Whatever `current` names logs in (or nothing is labelled current yet, before the first publish). */
const expectCurrentWorks = async (when: string) => {
  const current = await credentialAt({ label: 'current' });
  if (current === undefined) return;
  expect({ when, works: await works(current) }).toEqual({ when, works: true });
};

describe('postgres-credentials rotation', () => {
  it('alternates the roles over five rotations: new and previous log in, the one before does not', async () => {
    for (let n = 1; n <= 5; n++) {
      const outcome = await rotate(world, rotationOf(`five-${n}`), (step) =>
        expectCurrentWorks(`rotation ${n} ${step}`),
      );
      expect(outcome).toBe('ROTATED');

      const latest = await world.store.read(PARAMETER);
      const current = await credentialAt({ label: 'current' });
      expect(latest?.version).toBe(n);
      expect(current?.username).toBe(n % 2 === 1 ? 'shop_a' : 'shop_b');
      expect(await works(current)).toBe(true);
      if (n >= 2) {
        const previous = await credentialAt({ label: 'previous' });
        expect(previous?.username).not.toBe(current?.username);
        expect(await works(previous)).toBe(true);
        expect((await world.store.read(PARAMETER, { label: 'previous' }))?.version).toBe(n - 1);
      }
      if (n >= 3) {
        const beforePrevious = await credentialAt({ version: n - 2 });
        expect(beforePrevious?.username).toBe(current?.username);
        expect(await works(beforePrevious)).toBe(false);
      }
      expect(await world.store.read(pendingParameterName(PARAMETER))).toBeUndefined();
    }
    // Only current and previous carry labels, so SSM can drop the oldest version when it must.
    const labelled = (await world.store.history(PARAMETER)).filter((v) => v.labels.length > 0);
    expect(labelled.map((v) => [v.version, v.labels])).toEqual([
      [4, ['previous']],
      [5, ['current']],
    ]);
  });

  it.each(STEPS)(
    'resumes a rotation interrupted after %s: it completes once, and current works throughout',
    async (crashAfter) => {
      const before = await world.store.read(PARAMETER);
      const request = rotationOf(`crash-${crashAfter}`);
      for (const step of STEPS.slice(0, STEPS.indexOf(crashAfter) + 1)) {
        await runStep(world, request, step);
        await expectCurrentWorks(`before the crash, after ${step}`);
      }
      const generatedBefore = world.generated.length;
      const resumed = await rotate(world, request, (step) => expectCurrentWorks(`resumed, after ${step}`));

      // Run again after `end`, the rotation is remembered as completed and not repeated.
      expect(resumed).toBe(crashAfter === 'end' ? 'COMPLETED' : 'ROTATED');
      const after = await world.store.read(PARAMETER);
      expect(after?.version).toBe((before?.version ?? 0) + 1);
      // Created once: the resumed run reused the pending value (or found the rotation done).
      expect(world.generated.length).toBe(generatedBefore + (crashAfter === 'begin' ? 1 : 0));
      expect((await world.store.read(PARAMETER, { label: 'current' }))?.version).toBe(after?.version);
      expect((await world.store.read(PARAMETER, { label: 'previous' }))?.version).toBe(before?.version);
      expect(await works(await credentialAt({ label: 'current' }))).toBe(true);
      expect(await works(await credentialAt({ label: 'previous' }))).toBe(true);
      expect(await world.store.read(pendingParameterName(PARAMETER))).toBeUndefined();
      expect(await rotate(world, request)).toBe('COMPLETED');
    },
  );

  it('resumes a finish interrupted between publishing and moving the labels', async () => {
    const before = await world.store.read(PARAMETER);
    const request = rotationOf('crash-in-finish');
    for (const step of ['begin', 'create', 'set', 'test'] as const) await runStep(world, request, step);
    // The write of the new version succeeds; the first label move is lost with the crash.
    const realLabel = world.store.label;
    world.store.label = async () => {
      throw new Error('crashed before labelling');
    };
    await expect(runStep(world, request, 'finish')).rejects.toThrow('crashed before labelling');
    world.store.label = realLabel;
    // ECS already reads the new, tested value; current still names the old one, which still works.
    expect((await world.store.read(PARAMETER))?.version).toBe((before?.version ?? 0) + 1);
    await expectCurrentWorks('between publish and labels');

    expect(await rotate(world, request)).toBe('ROTATED');
    expect((await world.store.read(PARAMETER))?.version).toBe((before?.version ?? 0) + 1);
    expect((await world.store.read(PARAMETER, { label: 'current' }))?.version).toBe((before?.version ?? 0) + 1);
    expect((await world.store.read(PARAMETER, { label: 'previous' }))?.version).toBe(before?.version);
  });

  it('will not change a login while the latest version is not the labelled current one', async () => {
    const request = rotationOf('abandoned-in-finish');
    for (const step of ['begin', 'create', 'set', 'test'] as const) await runStep(world, request, step);
    const realLabel = world.store.label;
    world.store.label = async () => {
      throw new Error('SSM refused the label');
    };
    await expect(runStep(world, request, 'finish')).rejects.toThrow('SSM refused the label');
    world.store.label = realLabel;
    // Given up (the state machine's failure path): ECS reads the new login, running tasks the old one.
    expect(
      await endRotation(request, 'FAILED', { store: world.store, lock: world.lock, now: () => new Date() }),
    ).toMatchObject({ ending: 'FAILED', published: true });
    const latest = await world.store.read(PARAMETER);
    const inUse = await credentialAt({ label: 'current' });

    const next = rotationOf('after-abandoned');
    await runStep(world, next, 'begin');
    await expect(runStep(world, next, 'create')).rejects.toMatchObject({
      name: 'RotationStateError',
      message: expect.stringContaining(`is not the one labelled current`),
    });
    expect(await works(inUse)).toBe(true);
    // Once someone labels the latest version current (after rolling), rotation goes on.
    await world.store.label(PARAMETER, latest?.version ?? 0, 'current');
    expect(await rotate(world, next)).toBe('ROTATED');
    await expectCurrentWorks('after resolving');
  });

  it('refuses a second rotation of the secret while one runs, and lets it run after', async () => {
    const first = rotationOf('concurrent-1');
    const second = rotationOf('concurrent-2');
    const before = await world.store.read(PARAMETER);
    // Both ask at once: exactly one gets the lock.
    const [a, b] = await Promise.all([runStep(world, first, 'begin'), runStep(world, second, 'begin')]);
    const statuses = [a, b].map((r) => (r as { status: string }).status).sort();
    expect(statuses).toEqual(['ACQUIRED', 'BUSY']);
    const [winner, loser] = (a as { status: string }).status === 'ACQUIRED' ? [first, second] : [second, first];
    expect(await runStep(world, loser, 'begin')).toMatchObject({ status: 'BUSY', holder: winner.rotationId });

    expect(await rotate(world, winner)).toBe('ROTATED');
    expect((await world.store.read(PARAMETER))?.version).toBe((before?.version ?? 0) + 1);
    // Refused, not queued: asked again once the first has ended, it runs.
    expect(await rotate(world, loser)).toBe('ROTATED');
    expect((await world.store.read(PARAMETER))?.version).toBe((before?.version ?? 0) + 2);
  });

  it('publishes nothing when the new value fails its login; the secret rotates again after', async () => {
    const before = await world.store.read(PARAMETER);
    const request = rotationOf('bad-login');
    await runStep(world, request, 'begin');
    await runStep(world, request, 'create');
    // set never ran: the role still has its old password, so the new one cannot log in.
    await expect(runStep(world, request, 'test')).rejects.toMatchObject({ name: 'RotationTestFailedError' });
    // The state machine's failure path: end as FAILED.
    expect(
      await endRotation(request, 'FAILED', { store: world.store, lock: world.lock, now: () => new Date() }),
    ).toMatchObject({ ending: 'FAILED', published: false });
    expect(await world.store.read(PARAMETER)).toEqual(before);
    expect(await world.store.read(pendingParameterName(PARAMETER))).toBeUndefined();
    await expectCurrentWorks('after a failed rotation');
    expect(await rotate(world, rotationOf('after-bad-login'))).toBe('ROTATED');
    expect((await world.store.read(PARAMETER))?.version).toBe((before?.version ?? 0) + 1);
  });

  it('rotates over TLS: the server refuses every connection without it', async () => {
    const plain = new pg.Client({
      host: world.postgres.host,
      port: world.postgres.port,
      database: DATABASE,
      user: world.postgres.admin.username,
      password: world.postgres.admin.password,
      ssl: false,
    });
    plain.on('error', () => undefined);
    // 28000: no pg_hba.conf line lets a connection without TLS in.
    await expect(plain.connect()).rejects.toMatchObject({ code: '28000' });
    expect(await rotate(world, rotationOf('over-tls'))).toBe('ROTATED');
    await expectCurrentWorks('after a rotation over TLS');
  });

  it("refuses a server whose certificate the catalog's CA did not sign: a clear error, nothing changed", async () => {
    const postgres = world.secret.postgres;
    if (!postgres) throw new Error('the test secret has no postgres target');
    // The right server checked against another CA (of the same name): as a server impersonating the database would be.
    const stranger = makeServerTls();
    const target = createPostgresTarget({
      config: postgres,
      adminCredential: async () => world.postgres.admin,
      caBundle: async () => stranger.ca,
    });
    const before = await world.store.read(PARAMETER);
    const previous = await credentialAt({ label: 'previous' });
    const request = rotationOf('impostor');
    await runStep(world, request, 'begin');
    await runStep(world, request, 'create');
    await expect(runStep({ ...world, target }, request, 'set')).rejects.toMatchObject({
      name: 'RotationSetFailedError',
      message: expect.stringMatching(
        /^cannot log in to shop as its admin: the server's TLS certificate was refused \([A-Z_]+\)/,
      ),
    });
    await expect(runStep({ ...world, target }, request, 'test')).rejects.toMatchObject({
      name: 'RotationTestFailedError',
      message: expect.stringContaining("the server's TLS certificate was refused"),
    });
    await endRotation(request, 'FAILED', { store: world.store, lock: world.lock, now: () => new Date() });
    // The role the new value was for still has its old password; nothing was published.
    expect(await works(previous)).toBe(true);
    await expectCurrentWorks('after refusing the server');
    expect(await world.store.read(PARAMETER)).toEqual(before);
  });

  it("never lets a generated value reach PostgreSQL's log or an error", async () => {
    expect(world.generated.length).toBeGreaterThan(5);
    const log = world.serverLog.join('\n');
    for (const value of world.generated) expect(log).not.toContain(value);
  });
});

describe("the base role's privileges", () => {
  const INVENTORY = 'inventory';
  // Who may do what on the database and its public schema, as PostgreSQL keeps it.
  const grants = async () => {
    const admin = await world.postgres.connect(INVENTORY);
    try {
      const { rows } = await admin.query<{ database: string; schema: string }>(
        `SELECT (SELECT datacl::text FROM pg_database WHERE datname = current_database()) AS database,
                (SELECT nspacl::text FROM pg_namespace WHERE nspname = 'public') AS schema`,
      );
      return rows[0];
    } finally {
      await admin.end();
    }
  };
  // What a login can do: read the table its base role may read, and nothing it may not.
  const abilities = async (credential: { username: string; password: string }) => {
    const client = await world.postgres.connect(INVENTORY, credential);
    const attempt = async (statement: string) => {
      try {
        await client.query(statement);
        return 'allowed';
      } catch (error) {
        return (error as { code?: string }).code === '42501' ? 'refused' : String(error);
      }
    };
    try {
      return {
        selectItems: await attempt('SELECT name FROM items'),
        insertItems: await attempt("INSERT INTO items VALUES ('nut')"),
        createTable: await attempt('CREATE TABLE mine (id int)'),
        createTempTable: await attempt('CREATE TEMP TABLE scratch (id int)'),
        createSchema: await attempt('CREATE SCHEMA mine'),
      };
    } finally {
      await client.end();
    }
  };

  it('grants nothing: a base role with only CONNECT keeps it, and the logins can do what it can and no more', async () => {
    await world.postgres.createDatabase(INVENTORY);
    const admin = await world.postgres.connect(INVENTORY);
    try {
      // As a platform team would narrow it: no one connects or makes temporary tables by default.
      await admin.query(`REVOKE ALL ON DATABASE ${INVENTORY} FROM PUBLIC`);
      await admin.query(`CREATE ROLE ${INVENTORY} NOLOGIN`);
      await admin.query(`GRANT CONNECT ON DATABASE ${INVENTORY} TO ${INVENTORY}`);
      await admin.query('CREATE TABLE items (name text)');
      await admin.query(`GRANT SELECT ON items TO ${INVENTORY}`);
    } finally {
      await admin.end();
    }
    const before = await grants();
    const postgres = world.secret.postgres;
    if (!postgres) throw new Error('the test secret has no postgres target');
    const target = createPostgresTarget({
      config: { ...postgres, database: INVENTORY, baseUser: INVENTORY },
      adminCredential: async () => world.postgres.admin,
      caBundle: (source) => readCaBundle(source, world.store),
    });

    // Three rotations' worth of set and test: inventory_a, inventory_b, inventory_a again.
    const logins: Record<string, { username: string; password: string }> = {};
    for (const username of ['inventory_a', 'inventory_b', 'inventory_a']) {
      const credential = { username, password: randomBytes(24).toString('base64url') };
      await target.set(JSON.stringify(credential));
      await target.test(JSON.stringify(credential));
      logins[username] = credential;
      expect(await grants()).toEqual(before);
    }
    for (const credential of Object.values(logins)) {
      expect({ login: credential.username, ...(await abilities(credential)) }).toEqual({
        login: credential.username,
        selectItems: 'allowed',
        insertItems: 'refused',
        createTable: 'refused',
        createTempTable: 'refused',
        createSchema: 'refused',
      });
    }
  });
});
