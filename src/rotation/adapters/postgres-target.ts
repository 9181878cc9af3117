import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { CaBundleSource, PostgresTargetConfig } from '../../catalog/index.ts';
import { RotationSetFailedError, RotationTestFailedError } from '../errors.ts';
import type { RotationTarget } from '../ports/rotation-target.ts';
import { type PostgresCredential, parseCredential } from '../rotation.ts';
import { scramVerifier } from './postgres-scram.ts';

// A login that takes longer than this is a failed test, not a hung rotation.
const CONNECT_TIMEOUT_MS = 10_000;

/** Where the database is, how to read its admin credential (a SecureString `{"username","password"}`) and the CA bundle its TLS names. */
export interface PostgresTargetOptions {
  config: PostgresTargetConfig;
  adminCredential: () => Promise<PostgresCredential>;
  /** The PEM text of the CA bundle `config.tls.ca` names (a file, an SSM parameter). */
  caBundle: (source: CaBundleSource) => Promise<string>;
}

/** Raised when the CA bundle the catalog names cannot be read or holds no certificate. */
export class CaBundleError extends Error {
  override name = 'CaBundleError';
}

const describeSource = (source: CaBundleSource) =>
  'file' in source ? `the CA bundle file ${source.file}` : `the CA bundle parameter ${source.parameter}`;

// PostgreSQL's SQLSTATE: five digits or capitals.
const SQLSTATE = /^[0-9A-Z]{5}$/;
// OpenSSL's verification results (UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED,
// SELF_SIGNED_CERT_IN_CHAIN, ...) and Node's host name check (ERR_TLS_CERT_ALTNAME_INVALID).
const CERTIFICATE_REFUSED = /CERT|SIGNATURE|ISSUER/;

// Only codes reach errors and logs: PostgreSQL's messages can quote a statement.
const describe = (error: unknown): string => {
  if (error instanceof CaBundleError) return error.message;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SQLSTATE.test(code)) return `PostgreSQL error ${code}`;
  if (typeof code === 'string' && CERTIFICATE_REFUSED.test(code)) {
    return `the server's TLS certificate was refused (${code}): it must be signed by the catalog's CA bundle and name the host`;
  }
  // pg's own words when the server answers the TLS request with "no".
  if ((error as Error).message === 'The server does not support SSL connections')
    return 'the server does not offer TLS';
  return typeof code === 'string' ? code : (error as Error).name;
};

/**
 * Alternating-users PostgreSQL credentials: `set` creates `<base>` (NOLOGIN,
 * the holder of the app's privileges) and the pending value's login role (a
 * member of it) if missing, then sets that role's password. It grants
 * nothing: the logins inherit what `<base>` has, which is the platform team's
 * to grant (a rotation must not widen a role made narrow). `test` logs in
 * with the pending value over a real connection. Both connect over TLS
 * checked as `config.tls` says (verify-full unless disabled for a loopback host).
 */
export function createPostgresTarget({ config, adminCredential, caBundle }: PostgresTargetOptions): RotationTarget {
  const { tls } = config;
  // verify-full: Node checks the chain against `ca` and the certificate's names against the host.
  const ssl = async (): Promise<ConnectionOptions | false> => {
    if (tls.mode === 'disable') return false;
    let ca: string;
    try {
      ca = await caBundle(tls.ca);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new CaBundleError(
        `cannot read ${describeSource(tls.ca)}: ${typeof code === 'string' ? code : (error as Error).message}`,
        { cause: error },
      );
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new CaBundleError(`${describeSource(tls.ca)} holds no PEM certificate`);
    }
    return { ca, rejectUnauthorized: true };
  };
  const connect = async (credential: PostgresCredential) => {
    const client = new pg.Client({
      host: config.host,
      port: config.port,
      database: config.database,
      user: credential.username,
      password: credential.password,
      ssl: await ssl(),
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
