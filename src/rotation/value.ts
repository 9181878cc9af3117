import { DEFAULT_ALPHABET, DEFAULT_KEY_BYTES, DEFAULT_LENGTH, isCharacterSecret } from '../catalog/index.ts';
import type { GeneratorSpec, SecretGenerator } from './ports/secret-generator.ts';
import { type PostgresCredential, parseCredential, type RotatingSecret } from './rotation.ts';

/** The generator settings of a secret, with the catalog's defaults (32 characters, 64 bytes). */
export function generatorSpec(secret: RotatingSecret): GeneratorSpec {
  const { generator } = secret;
  return isCharacterSecret(secret.type)
    ? { length: generator.length ?? DEFAULT_LENGTH, alphabet: generator.alphabet ?? DEFAULT_ALPHABET }
    : { bytes: generator.bytes ?? DEFAULT_KEY_BYTES };
}

/**
 * The next value of a secret. A postgres-credentials value alternates between
 * `<base>_a` and `<base>_b`: the new password goes to the role the published
 * value does not name, so tasks still on the published one keep logging in.
 */
export function nextSecretValue(
  secret: RotatingSecret,
  published: string | undefined,
  generate: SecretGenerator,
): string {
  const value = generate(generatorSpec(secret));
  if (secret.postgres === undefined) return value;
  const credential: PostgresCredential = {
    username: nextRole(secret.postgres.baseUser, published, secret.parameter),
    password: value,
  };
  return JSON.stringify(credential);
}

/** The role a postgres-credentials rotation gives a new password: the one the published value does not name. */
export function nextRole(base: string, published: string | undefined, parameter: string): string {
  if (published === undefined) return `${base}_a`;
  const { username } = parseCredential(published, `the value of ${parameter}`);
  return username === `${base}_a` ? `${base}_b` : `${base}_a`;
}
