import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { interpolate } from '../catalog/index.ts';

// The catalog's `secrets:` as the CLI and the sandbox read it: only the fields
// they use, leniently (other keys pass), so they work with and without the
// catalog schema's own `secrets` (validated at build time by `npm run catalog`).

/** Raised when the catalog's `secrets` are not what the CLI and the sandbox can use. */
export class CatalogSecretsError extends Error {
  override name = 'CatalogSecretsError';
}

const postgresSchema = z.looseObject({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535),
  database: z.string().min(1),
  adminParameter: z.string().min(1),
  baseUser: z.string().regex(/^[a-z_][a-z0-9_]{0,60}$/),
  // The sandbox writes its server's CA to the parameter named here.
  tls: z.looseObject({ ca: z.looseObject({ parameter: z.string().min(1).optional() }).optional() }).optional(),
});

const secretSchema = z.looseObject({
  parameter: z.string().min(1),
  type: z.enum(['password', 'jwt-signing-key', 'api-key', 'postgres-credentials']),
  schedule: z.string().optional(),
  services: z.array(z.string()).optional(),
  postgres: postgresSchema.optional(),
});

/** One secret of the catalog, by its name there. */
export type CatalogSecret = z.infer<typeof secretSchema> & { name: string };
export type PostgresTarget = z.infer<typeof postgresSchema>;

/** The catalog's secrets (none when it has no `secrets:`), `${VAR:-default}` applied from `env`. */
export function readCatalogSecrets(file: string, env: Readonly<Record<string, string | undefined>>): CatalogSecret[] {
  const document = parse(readFileSync(file, 'utf8')) as { secrets?: unknown } | null;
  if (document?.secrets === undefined || document.secrets === null) return [];
  const parsed = z.record(z.string(), secretSchema).safeParse(interpolate(document.secrets, env, 'secrets'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogSecretsError(`${file}: secrets.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return Object.entries(parsed.data).map(([name, secret]) => ({ name, ...secret }));
}
