import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox/index.ts';

// A sandbox as a test that brings its own world starts it: free ports, nothing
// printed, no demo services; what the test needs besides comes in its options.

/** The fixture catalog whose secrets (shop's PostgreSQL credential, web's session key) the rotation tests use. */
export const SECRETS_CATALOG = new URL('../fixtures/catalog/secrets.yml', import.meta.url).pathname;

/** Starts a quiet sandbox on free ports with no demo services, plus `options`. */
export function startBareSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, slackPort: 0, quiet: true, services: [], ...options });
}

/** A bare sandbox with PostgreSQL on a free port and the secrets catalog, as `release secrets` and rotations see it. */
export function startSecretsSandbox(): Promise<Sandbox> {
  return startBareSandbox({ postgres: { port: 0 }, environment: { RELEASE_CATALOG_FILE: SECRETS_CATALOG } });
}
