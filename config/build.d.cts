import type { Catalog } from '../src/catalog/schema.ts';

declare function resolveCatalogVariables(): Promise<Record<string, unknown>>;
declare namespace resolveCatalogVariables {
  /** Reads, interpolates and validates the catalog (RELEASE_CATALOG_FILE or config/catalog.yml). */
  function loadCatalog(): Catalog;
  const catalogFile: string;
  /** The relative CA bundle files the catalog names (to package with the rotation function); throws CaBundleFileError. */
  function caBundleFiles(catalog: Catalog): string[];
  /** A CA bundle file the catalog names that is missing or outside the project. */
  class CaBundleFileError extends Error {}
}
export = resolveCatalogVariables;
