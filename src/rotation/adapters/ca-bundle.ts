import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CaBundleSource } from '../../catalog/index.ts';
import { InvalidInputError } from '../../platform/errors.ts';
import type { SecretStore } from '../ports/secret-store.ts';

/**
 * The PEM text of a catalog CA bundle: a file read from the function's root
 * (the working directory: /var/task in Lambda, the project in the sandbox), or
 * an SSM parameter's value.
 */
export async function readCaBundle(source: CaBundleSource, store: Pick<SecretStore, 'read'>): Promise<string> {
  if ('file' in source) return readFile(resolve(source.file), 'utf8');
  const found = await store.read(source.parameter);
  if (!found) throw new InvalidInputError(`the parameter ${source.parameter} does not exist`);
  return found.value;
}
