import { ConfigurationError } from './errors.ts';

/** Reads a required environment variable at cold start; a missing one fails loudly with its name. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`environment variable ${name} is not set`);
  }
  return value;
}

/** Reads an optional environment variable; empty counts as unset. */
export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}
