import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigurationError } from './errors.ts';
import type { AwsClientConfig } from './lambda-entry.ts';

// Read once per container: a rotated secret is picked up by the next cold start.
const SECRET_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Reads a SecureString parameter, decrypted, once per cold start (Powertools
 * caches only values it got, so a failed read is tried again next time). The
 * value is never part of an error: only the parameter's name is.
 */
export function secretParameter(name: string, aws: AwsClientConfig = {}): () => Promise<string> {
  // A provider of its own, not Powertools' default one: each wiring reaches its own SSM.
  let provider: SSMProvider | undefined;
  return async () => {
    provider ??= new SSMProvider({ clientConfig: aws });
    const value = await provider.get(name, { decrypt: true, maxAge: SECRET_MAX_AGE_SECONDS });
    if (!value) throw new ConfigurationError(`the secret parameter ${name} is empty`);
    return value;
  };
}
