import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { projectRoot } from '../serverless-config.ts';

/** A Lambda handler as the functions export it (middy handlers are async and take the event and context). */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

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

// Node caches modules for the life of the process: handlers (and the SDK clients
// they build at import) keep the AWS endpoint they were first imported with.
let importedFor: string | undefined;

/** The AWS endpoint this process's handlers were imported with, if any were. */
export function handlersImportedFor(): string | undefined {
  return importedFor;
}

/**
 * Imports the handler serverless.yml names (`functions/plan/handler.handler`
 * → export `handler` of `functions/plan/handler.ts`). Imported on first use,
 * not at sandbox start: handlers read their environment at import, and some
 * may not exist yet while the project grows.
 */
export async function importHandler(handler: string, root: string = projectRoot): Promise<LambdaHandler> {
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
    importedFor ??= process.env.AWS_ENDPOINT_URL;
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HandlerLoadError('Runtime.ImportModuleError', `Error: ${reason}`, { cause: error });
  }
  const exported = module[exportName];
  if (typeof exported !== 'function') {
    throw new HandlerLoadError('Runtime.HandlerNotFound', `${handler} is undefined or not exported`);
  }
  return exported as LambdaHandler;
}
