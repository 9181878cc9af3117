import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Wiring } from '../../src/platform/wiring.ts';
import { projectRoot } from '../serverless-config.ts';

/** A Lambda handler as the functions export it (middy handlers are async and take the event and context). */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * A stand-in for a function that, like a handler module's `wire` export, is
 * given the function's wiring (its environment, the sandbox's endpoint) at
 * cold start: a plain LambdaHandler sees none of it.
 */
export interface WiredHandler {
  wire(wiring: Wiring): LambdaHandler;
}

/** A handler that could not be loaded; Lambda reports these as `Runtime.*` errors at invocation. */
export class HandlerLoadError extends Error {
  override readonly name = 'HandlerLoadError';
  /** `Runtime.ImportModuleError` or `Runtime.HandlerNotFound`, as Lambda names them. */
  readonly errorType: string;
  constructor(errorType: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.errorType = errorType;
  }
}

/**
 * The handler serverless.yml names (`functions/plan/handler.handler` → module
 * `functions/plan/handler.ts`), wired by the module's `wire` export with this
 * sandbox's `wiring` (its environment, endpoint and credentials): each sandbox
 * gets handlers of its own, however many share the process. A module without
 * `wire` gives its `handler` export as it is. Imported on first use, not at
 * sandbox start: some may not exist yet while the project grows.
 */
export async function importHandler(
  handler: string,
  wiring: () => Wiring,
  root: string = projectRoot,
): Promise<LambdaHandler> {
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const file = ['.ts', '.js', '.mjs'].map((extension) => join(root, `${modulePath}${extension}`)).find(existsSync);
  if (dot <= 0 || !file) {
    throw new HandlerLoadError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${modulePath}' (handler ${handler})`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HandlerLoadError('Runtime.ImportModuleError', `Error: ${reason}`, { cause: error });
  }
  const exported = module[exportName];
  if (typeof exported !== 'function') {
    throw new HandlerLoadError('Runtime.HandlerNotFound', `${handler} is undefined or not exported`);
  }
  const wire = module.wire;
  return typeof wire === 'function'
    ? (wire as (wiring: Wiring) => LambdaHandler)(wiring())
    : (exported as LambdaHandler);
}
