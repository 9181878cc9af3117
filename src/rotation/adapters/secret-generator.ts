import { randomBytes, randomInt } from 'node:crypto';
import type { GeneratorSpec } from '../ports/secret-generator.ts';

/**
 * A new secret value from Node's CSPRNG: `length` characters each drawn
 * uniformly from `alphabet` (randomInt rejects biased draws), or `bytes`
 * random bytes in base64url.
 */
export function generateSecret(spec: GeneratorSpec): string {
  if ('bytes' in spec) return randomBytes(spec.bytes).toString('base64url');
  const symbols = [...spec.alphabet];
  let value = '';
  for (let i = 0; i < spec.length; i++) value += symbols[randomInt(symbols.length)];
  return value;
}
