import { randomBytes } from 'node:crypto';
import type { CatalogSecret, PostgresTarget } from '../../src/cli/catalog-secrets.ts';
import type { ParameterStore } from '../ssm/parameter-store.ts';
import type { PostgresServer } from './server.ts';

// What a platform team has before the first rotation, made for one
// `postgres-credentials` secret of the catalog: the database, the admin
// credential in SSM (SecureString `{"username","password"}`), the role
// `<base>` (NOLOGIN) holding the app's privileges, and a first published
// credential, the role `<base>_a` (a member of `<base>`) with a generated
// password, as the parameter's version 1, so that services can log in before
// any rotation. The rotation creates `<base>_b` itself and grants nothing. When the secret's `tls.ca` names a
// parameter, the server's CA (made at start) is written there, so the
// rotation checks the server's certificate as it would in AWS.

/** A catalog secret with a PostgreSQL target. */
export type DatabaseSecret = CatalogSecret & { postgres: PostgresTarget };

/** The first user of the alternating pair. */
export const firstUser = (baseUser: string) => `${baseUser}_a`;

/** Creates the database and the first user, and seeds the admin and published credentials in SSM. */
export async function seedDatabaseSecret(
  server: PostgresServer,
  parameters: ParameterStore,
  secret: DatabaseSecret,
): Promise<void> {
  const { database, adminParameter, baseUser } = secret.postgres;
  const username = firstUser(baseUser);
  const password = randomBytes(24).toString('base64url');
  const admin = await server.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    const base = admin.escapeIdentifier(baseUser);
    await admin.query(`CREATE ROLE ${base} NOLOGIN`);
    await admin.query(`GRANT ALL PRIVILEGES ON DATABASE ${admin.escapeIdentifier(database)} TO ${base}`);
    // The password goes as a literal: CREATE ROLE takes no bind parameters.
    await admin.query(
      `CREATE ROLE ${admin.escapeIdentifier(username)} LOGIN IN ROLE ${base} PASSWORD ${admin.escapeLiteral(password)}`,
    );
  } finally {
    await admin.end();
  }
  // The public schema is the database's own: its grant is made there.
  const inDatabase = await server.connect(database);
  try {
    await inDatabase.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${inDatabase.escapeIdentifier(baseUser)}`);
  } finally {
    await inDatabase.end();
  }
  parameters.put({
    name: adminParameter,
    value: JSON.stringify(server.admin),
    type: 'SecureString',
    overwrite: true,
    description: `PostgreSQL superuser of the sandbox's ${database} database`,
  });
  const caParameter = secret.postgres.tls?.ca?.parameter;
  if (caParameter !== undefined) {
    parameters.put({
      name: caParameter,
      value: server.ca,
      type: 'String',
      overwrite: true,
      description: `The CA of the sandbox PostgreSQL's certificate (made at its start)`,
    });
  }
  parameters.put({
    name: secret.parameter,
    value: JSON.stringify({ username, password }),
    type: 'SecureString',
    overwrite: true,
    description: `${secret.name}: the login services use for ${database}`,
  });
}
