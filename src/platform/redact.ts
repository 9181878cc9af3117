/**
 * `error` with every occurrence of `secret` in its message replaced, and no
 * cause that could still hold it: what a secret-handling adapter may rethrow.
 * The name stays, so Retry and Catch lists still match it.
 */
export function redacted(error: unknown, secret: string): unknown {
  if (!(error instanceof Error) || secret === '' || !containsSecret(error, secret)) return error;
  const clean = new Error(error.message.split(secret).join('[redacted]'));
  clean.name = error.name;
  return clean;
}

function containsSecret(error: Error, secret: string): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current.message.includes(secret) || (current.stack ?? '').includes(secret)) return true;
  }
  return false;
}
