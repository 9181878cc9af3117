import type { Context } from 'aws-lambda';
import { type Env, processEnvironment } from './config.ts';

/** An access key, with its session token for temporary credentials. */
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What an AWS SDK client is built with: the sandbox gives its endpoint and credentials, Lambda nothing. */
export interface AwsClientConfig {
  endpoint?: string;
  region?: string;
  /** Fixed keys, or a provider the SDK calls again before they expire (an assumed role's session: assumed-roles.ts). */
  credentials?: AwsKeys | (() => Promise<AwsKeys & { expiration?: Date }>);
}

/** What a function is wired from: its environment and how to reach AWS. */
export interface Wiring {
  env: Env;
  aws: AwsClientConfig;
}

/** A handler as Lambda calls it. */
export type Handler<TEvent = unknown, TResult = unknown> = (event: TEvent, context: Context) => Promise<TResult>;

/**
 * A function's Lambda entry: wires the real dependencies from Lambda's
 * environment on the first invocation, once per cold start. Nothing is read or
 * built at import, so the sandbox and tests can call `wire` with their own.
 */
export function lambdaEntry<TEvent, TResult>(
  wire: (wiring: Wiring) => Handler<TEvent, TResult>,
): Handler<TEvent, TResult> {
  let handler: Handler<TEvent, TResult> | undefined;
  return (event, context) => {
    handler ??= wire({ env: processEnvironment(), aws: {} });
    return handler(event, context);
  };
}
