import { DEFAULT_ALPHABET, secretSchema } from '../../../src/catalog/secrets.ts';
import { generateSecret } from '../../../src/rotation/adapters/secret-generator.ts';
import { generatorSpec, nextSecretValue } from '../../../src/rotation/value.ts';

const secret = (fields: Record<string, unknown>) => ({
  name: 'test',
  ...secretSchema.parse({ parameter: '/app/secret', schedule: 'rate(1 day)', ...fields }),
});

describe('secret generator', () => {
  it('draws `length` characters from the alphabet, each of them in use', () => {
    const values = Array.from({ length: 200 }, () => generateSecret({ length: 40, alphabet: 'abc123' }));
    for (const value of values) expect(value).toMatch(/^[abc123]{40}$/);
    expect(new Set(values.join(''))).toEqual(new Set('abc123'));
    expect(new Set(values).size).toBe(values.length);
  });

  it('makes `bytes` random bytes, base64url', () => {
    const value = generateSecret({ bytes: 64 });
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(value, 'base64url')).toHaveLength(64);
    expect(generateSecret({ bytes: 64 })).not.toBe(value);
  });

  it('defaults to 32 letters and digits for passwords and 64 bytes for keys', () => {
    expect(generatorSpec(secret({ type: 'password' }))).toEqual({ length: 32, alphabet: DEFAULT_ALPHABET });
    expect(generatorSpec(secret({ type: 'jwt-signing-key' }))).toEqual({ bytes: 64 });
    expect(generatorSpec(secret({ type: 'api-key', generator: { bytes: 32 } }))).toEqual({ bytes: 32 });
    expect(nextSecretValue(secret({ type: 'password' }), undefined, generateSecret)).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('alternates the PostgreSQL role against the published value', () => {
    const db = secret({
      type: 'postgres-credentials',
      postgres: {
        host: 'db',
        database: 'shop',
        adminParameter: '/db/admin',
        baseUser: 'shop',
        tls: { ca: { file: 'certs/db.pem' } },
      },
    });
    const next = (published?: string) => JSON.parse(nextSecretValue(db, published, generateSecret)).username;
    expect(next()).toBe('shop_a');
    expect(next(JSON.stringify({ username: 'shop_a', password: 'x' }))).toBe('shop_b');
    expect(next(JSON.stringify({ username: 'shop_b', password: 'x' }))).toBe('shop_a');
    expect(() => next('not json')).toThrow(/the value of \/app\/secret is not a JSON object/);
  });
});
