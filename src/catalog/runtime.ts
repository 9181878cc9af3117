import { catalogFilePath } from './file.ts';
import { loadCatalogFile } from './load.ts';
import type { Catalog } from './schema.ts';

/**
 * The catalog as Node reads it from source (sandbox, tests, CLI), from the
 * file and variables of `env`, when called. Lambda bundles replace this module
 * with the catalog resolved and validated at build time (see
 * `config/esbuild-plugins.cjs`), so both run the same `loadCatalogFile`.
 */
export function runtimeCatalog(env: Readonly<Record<string, string | undefined>>): Catalog {
  return loadCatalogFile(catalogFilePath(env), env);
}
