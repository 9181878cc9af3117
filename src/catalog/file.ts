import { fileURLToPath } from 'node:url';

/** The catalog file Node reads from source: RELEASE_CATALOG_FILE, else config/catalog.yml. */
export function catalogFilePath(env: Readonly<Record<string, string | undefined>>): string {
  return env.RELEASE_CATALOG_FILE ?? fileURLToPath(new URL('../../config/catalog.yml', import.meta.url));
}
