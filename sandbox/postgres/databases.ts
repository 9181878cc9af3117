import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { catalogFilePath, interpolate } from '../../src/catalog/index.ts';
import { readCatalogSecrets } from '../../src/cli/catalog-secrets.ts';
import type { ParameterStore } from '../ssm/parameter-store.ts';
import { type DatabaseSecret, seedDatabaseSecret } from './seed.ts';
import { type PostgresServer, startPostgres } from './server.ts';

// The sandbox's PostgreSQL: started when the catalog has a
// `postgres-credentials` secret, one server for all of them, seeded so that
// the demo works before any rotation. As with the smoke URLs, the catalog
// reads the server's address from the environment (`port:
// ${WEB_DB_PORT:-5433}`), so when the server gets another port (a free one in
// tests) the sandbox sets those variables for the functions; the tasks of the
// services that use the secret get the address as plain environment and the
// credential as an ECS `secrets` entry. A secret's `services` are catalog
// entries (`web/staging`) or, in older catalogs, ECS service names (`web`).

/** The variable a task's credential arrives in (its `secrets[].name`). */
export const CREDENTIAL_VARIABLE = 'DATABASE_CREDENTIAL';

/** What the tasks of one ECS service get: the credential from SSM, the server's address in plain variables. */
export interface ServiceDatabase {
  secrets: Record<string, string>;
  environment: Record<string, string>;
}

export interface SandboxDatabases {
  readonly secrets: readonly DatabaseSecret[];
  readonly server: PostgresServer;
  /** The catalog's host/port variables, pointed at the server, for the functions. */
  readonly environment: Record<string, string>;
  /** By ECS service name (the secret's `services`). */
  readonly services: Record<string, ServiceDatabase>;
  /** By parameter: the ECS services whose tasks read it. */
  readonly readers: Record<string, string[]>;
  stop(): Promise<void>;
}

export interface DatabasesOptions {
  /** Where the catalog's `${VAR}` come from, and RELEASE_CATALOG_FILE. */
  env: Readonly<Record<string, string | undefined>>;
  parameters: ParameterStore;
  /** The server's port: default the (first) secret's, 0 a free one. */
  port?: number;
}

const LEADING_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}$/;

/** Starts and seeds PostgreSQL when the catalog has a postgres-credentials secret; undefined when it has none. */
export async function startDatabases(options: DatabasesOptions): Promise<SandboxDatabases | undefined> {
  const catalogFile = catalogFilePath(options.env);
  const secrets = readCatalogSecrets(catalogFile, options.env).filter(
    (secret): secret is DatabaseSecret => secret.type === 'postgres-credentials' && secret.postgres !== undefined,
  );
  const first = secrets[0];
  if (!first) return undefined;
  const server = await startPostgres({ port: options.port ?? first.postgres.port });
  try {
    for (const secret of secrets) await seedDatabaseSecret(server, options.parameters, secret);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const document = parse(readFileSync(catalogFile, 'utf8')) as RawCatalog | null;
  const written = { secrets: document?.secrets ?? {}, services: document?.services ?? {} };
  const environment: Record<string, string> = {};
  const services: Record<string, ServiceDatabase> = {};
  const readers: Record<string, string[]> = {};
  for (const secret of secrets) {
    const target = written.secrets[secret.name]?.postgres;
    for (const [field, value] of [
      ['host', server.host],
      ['port', String(server.port)],
    ] as const) {
      const variable = LEADING_VARIABLE.exec(String(target?.[field] ?? ''))?.[1];
      if (variable && !options.env[variable]) environment[variable] = value;
    }
    readers[secret.parameter] = (secret.services ?? []).map((entry) =>
      ecsServiceOf(entry, written.services, options.env),
    );
    for (const service of readers[secret.parameter] ?? []) {
      services[service] = {
        secrets: { [CREDENTIAL_VARIABLE]: secret.parameter },
        environment: {
          DATABASE_HOST: server.host,
          DATABASE_PORT: String(server.port),
          DATABASE_NAME: secret.postgres.database,
        },
      };
    }
  }
  return {
    secrets,
    server,
    environment,
    services,
    readers,
    stop: () => server.stop(),
  };
}

// The catalog's secrets and services as written, before interpolation.
type RawServices = Record<string, { environments?: Record<string, { service?: unknown }> }>;
type RawCatalog = { secrets?: Record<string, { postgres?: Record<string, unknown> }>; services?: RawServices };

// The ECS service a `services` entry names: `web/staging` is the catalog
// environment's `service` (its `${VAR:-default}` read from env), `web` itself.
function ecsServiceOf(entry: string, services: RawServices, env: DatabasesOptions['env']): string {
  const [name = entry, environment] = entry.split('/');
  if (environment === undefined) return entry;
  const written = services[name]?.environments?.[environment]?.service;
  const service = written === undefined ? undefined : interpolate(written, env, `services.${name}.${environment}`);
  return typeof service === 'string' ? service : name;
}
