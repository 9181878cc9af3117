import type { Catalog } from '../catalog/index.ts';

// Which SSM parameters must exist before the first release, derived from the
// stack (the app's own secrets, named by its outputs) and the catalog (each
// rotated secret, its database admin and its CA bundle): never a list kept by hand.

/** A parameter that must exist, and who reads it. */
export interface RequiredParameter {
  name: string;
  /** What it holds and who reads it, for the report. */
  purpose: string;
  /** What to put in it, as the `--value` of put-parameter (never a value: a placeholder). */
  value: string;
  /** Where that value comes from. */
  source?: string;
}

/** The parameters the stack's outputs and the catalog's secrets name, each once. */
export function requiredParameters(
  outputs: Readonly<Record<string, string>>,
  catalog: Pick<Catalog, 'secrets'>,
): RequiredParameter[] {
  const found = new Map<string, RequiredParameter>();
  const add = (name: string | undefined, purpose: string, value: string, source?: string) => {
    if (name !== undefined && !found.has(name)) {
      found.set(name, { name, purpose, value, ...(source === undefined ? {} : { source }) });
    }
  };
  add(
    outputs.SlackTokenParameter,
    'the Slack bot token (every Slack message)',
    "'xoxb-…'",
    "the Slack app's OAuth & Permissions page: Bot User OAuth Token",
  );
  add(
    outputs.SlackSigningSecretParameter,
    "Slack's signing secret (slash commands and buttons)",
    "'<signing secret>'",
    "the Slack app's Basic Information page: Signing Secret",
  );
  add(
    outputs.GithubWebhookSecretParameter,
    "GitHub's webhook secret (release webhooks)",
    '"$(openssl rand -hex 32)"',
    "then the same value in GitHub's webhook settings",
  );
  for (const [secret, config] of Object.entries(catalog.secrets)) {
    add(
      config.parameter,
      `catalog secret ${secret} (${config.type}), rotated on ${config.schedule}`,
      config.type === 'postgres-credentials' ? '\'{"username":"<role>_a","password":"<password>"}\'' : "'<value>'",
      'the value the services read today; rotation replaces it',
    );
    if (config.postgres) {
      add(
        config.postgres.adminParameter,
        `catalog secret ${secret}: the PostgreSQL admin login rotation uses`,
        '\'{"username":"<admin>","password":"<password>"}\'',
        'a role that may CREATE ROLE and ALTER ROLE',
      );
      const tls = config.postgres.tls;
      if (tls.mode === 'verify-full' && 'parameter' in tls.ca) {
        add(
          tls.ca.parameter,
          `catalog secret ${secret}: the CA bundle of the database's certificate`,
          'file://<ca bundle>.pem',
        );
      }
    }
  }
  return [...found.values()];
}
