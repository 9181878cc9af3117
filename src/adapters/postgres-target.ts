import pg from 'pg';
import type { PostgresTargetConfig } from '../catalog/secrets.ts';
import { type PostgresCredential, parseCredential } from '../domain/rotation.ts';
import { RotationSetFailedError, RotationTestFailedError } from '../domain/rotation-errors.ts';
import type { RotationTarget } from '../ports/rotation-target.ts';
import { scramVerifier } from './postgres-scram.ts';

// A login that takes longer than this is a failed test, not a hung rotation.
const CONNECT_TIMEOUT_MS = 10_000;

/** Where the database is and how to read its admin credential (a SecureString `{"username","password"}`). */
export interface PostgresTargetOptions {
  config: PostgresTargetConfig;
  adminCredential: () => Promise<PostgresCredential>;
}

// Only PostgreSQL's error code and class reach errors and logs: its messages can quote a statement.
const describe = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `PostgreSQL error ${code}` : (error as Error).name;
};

/**
 * Alternating-users PostgreSQL credentials: `set` creates `<base>` (NOLOGIN,
 * the holder of the app's privileges) and the pending value's login role (a
 * member of it) if missing, then sets that role's password; `test` logs in
 * with the pending value over a real connection.
 */
export function createPostgresTarget({ config, adminCredential }: PostgresTargetOptions): RotationTarget {
  const connect = async (credential: PostgresCredential) => {
    const client = new pg.Client({
      host: config.host,
      port: config.port,
      database: config.database,
      user: credential.username,
      password: credential.password,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // A connection that breaks after connecting would otherwise be an unhandled 'error' event.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  return {
    async set(value) {
      const { username, password } = parseCredential(value, 'the pending value');
      let admin: pg.Client;
      try {
        admin = await connect(await adminCredential());
      } catch (error) {
        throw new RotationSetFailedError(`cannot log in to ${config.database} as its admin: ${describe(error)}`);
      }
      const role = admin.escapeIdentifier(username);
      const base = admin.escapeIdentifier(config.baseUser);
      try {
        // One role at a time may be created concurrently; a lost race is caught by the next statement's IF.
        await admin.query(`DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${admin.escapeLiteral(config.baseUser)}) THEN CREATE ROLE ${base} NOLOGIN; END IF;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${admin.escapeLiteral(username)}) THEN CREATE ROLE ${role} LOGIN IN ROLE ${base}; END IF;
        END $$`);
        await admin.query(
          `GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${admin.escapeIdentifier(config.database)} TO ${base}`,
        );
        await admin.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${base}`);
        await admin.query(
          `ALTER ROLE ${role} WITH LOGIN INHERIT PASSWORD ${admin.escapeLiteral(scramVerifier(password))}`,
        );
      } catch (error) {
        throw new RotationSetFailedError(`setting the password of role ${username} failed: ${describe(error)}`);
      } finally {
        await admin.end().catch(() => undefined);
      }
    },

    async test(value) {
      const credential = parseCredential(value, 'the pending value');
      let client: pg.Client | undefined;
      try {
        client = await connect(credential);
        const { rows } = await client.query<{ user: string }>('SELECT current_user AS "user"');
        if (rows[0]?.user !== credential.username) throw new Error(`logged in as ${rows[0]?.user}`);
      } catch (error) {
        throw new RotationTestFailedError(
          `logging in to ${config.host}:${config.port}/${config.database} as ${credential.username} with the new password failed: ${describe(error)}`,
        );
      } finally {
        await client?.end().catch(() => undefined);
      }
    },
  };
}
