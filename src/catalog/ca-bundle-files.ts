import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { Catalog } from './schema.ts';
import type { CaBundleSource } from './secrets.ts';

// The CA bundles the rotation checks PostgreSQL's certificates against
// (verify-full), for the build: the parameters the rotation function may read
// and the files its package must carry.

/** A CA bundle file the catalog names that the rotation function's package cannot carry. */
export class CaBundleFileError extends Error {
  override name = 'CaBundleFileError';
}

/** Each verify-full secret's CA bundle, by secret name. */
export function caBundles(catalog: Catalog): { name: string; ca: CaBundleSource }[] {
  return Object.entries(catalog.secrets).flatMap(([name, { postgres }]) =>
    postgres?.tls.mode === 'verify-full' ? [{ name, ca: postgres.tls.ca }] : [],
  );
}

/**
 * The CA bundle files to package with the rotation function: each relative
 * `tls.ca.file`, from the project root `root` (the function's root once
 * packaged), with "/". An absolute path (a Lambda layer's /opt/...) is the
 * deployer's to provide. Throws CaBundleFileError for a missing file or one
 * outside the project.
 */
export function caBundleFiles(catalog: Catalog, root: string): string[] {
  const files = new Set<string>();
  for (const { name, ca } of caBundles(catalog)) {
    if (!('file' in ca) || isAbsolute(ca.file)) continue;
    const file = normalize(ca.file);
    const where = `secrets.${name}.postgres.tls.ca.file`;
    if (file.startsWith('..'))
      throw new CaBundleFileError(`${where}: ${ca.file} is outside the project, so not packaged`);
    if (!existsSync(join(root, file))) {
      throw new CaBundleFileError(`${where}: ${ca.file} does not exist (for RDS: README, "Secret rotation", TLS)`);
    }
    files.add(file.split(sep).join('/'));
  }
  return [...files].sort();
}
