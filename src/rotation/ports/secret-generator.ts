/** How a new value is made: characters from an alphabet, or random bytes (base64url). */
export type GeneratorSpec = { length: number; alphabet: string } | { bytes: number };

/** Makes new secret values from a cryptographically secure source. */
export type SecretGenerator = (spec: GeneratorSpec) => string;
