import type { Catalog } from '../src/catalog/index.ts';

declare function resolveCatalogVariables(): Promise<Record<string, unknown>>;
declare namespace resolveCatalogVariables {
  /** Reads, interpolates and validates the catalog (RELEASE_CATALOG_FILE or config/catalog.yml). */
  function loadCatalog(): Catalog;
  const catalogFile: string;
}
export = resolveCatalogVariables;
