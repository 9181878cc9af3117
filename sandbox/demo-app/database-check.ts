import pg from 'pg';

// A demo app whose task has a database credential (ECS `secrets` →
// DATABASE_CREDENTIAL, `{"username","password"}`, and the server's address in
// DATABASE_HOST, DATABASE_PORT, DATABASE_NAME) logs in with the credential it
// started with on every request: a fresh connection and `SELECT 1`. A pooled
// connection would outlive a password change and hide it; a fresh login shows
// at once a rotation that breaks running tasks, as failed requests.

/** Raised when the task's credential does not log in (or the database is away); never carries the password. */
export class DatabaseLoginError extends Error {
  override name = 'DatabaseLoginError';
}

/** Logs in and runs SELECT 1; rejects with DatabaseLoginError. */
export type DatabaseCheck = () => Promise<void>;

const CONNECT_TIMEOUT_MS = 5_000;

/** The check for a task's environment; undefined when the task has no database credential. */
export function databaseCheckOf(environment: Readonly<Record<string, string>>): DatabaseCheck | undefined {
  const credentialText = environment.DATABASE_CREDENTIAL;
  if (credentialText === undefined) return undefined;
  let credential: { username?: unknown; password?: unknown };
  try {
    credential = JSON.parse(credentialText) as typeof credential;
  } catch {
    credential = {};
  }
  const { username, password } = credential;
  const config = {
    host: environment.DATABASE_HOST ?? '127.0.0.1',
    port: Number(environment.DATABASE_PORT ?? 5433),
    database: environment.DATABASE_NAME ?? 'postgres',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
  return async () => {
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new DatabaseLoginError('DATABASE_CREDENTIAL is not {"username","password"} JSON');
    }
    const client = new pg.Client({ ...config, user: username, password });
    // A connection dropped later (server stopping) must not crash the sandbox's process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new DatabaseLoginError(
        `${username} could not use ${config.database} at ${config.host}:${config.port}${typeof code === 'string' ? ` (${code})` : ''}`,
        { cause: error },
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}
