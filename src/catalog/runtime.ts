import { catalogFilePath } from './file.ts';
import { loadCatalogFile } from './load.ts';

/**
 * The catalog as Node reads it from source (sandbox, tests, CLI). Lambda bundles
 * replace this module with the catalog resolved and validated at build time
 * (see `config/esbuild-plugins.cjs`), so both run the same `loadCatalogFile`.
 */
export const catalogFile = catalogFilePath(process.env);
export const catalog = loadCatalogFile(catalogFile, process.env);
