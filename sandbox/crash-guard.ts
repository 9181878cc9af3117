// The sandbox runs its functions in its caller's process. A function's stray
// failure (a rejection nobody awaited, a throw in a timer) would end a Lambda
// invocation, not the account, so here it must not end the process either;
// the caller's own uncaught errors must still end it, as without a sandbox.
// Node runs 'uncaughtException' and 'unhandledRejection' listeners in the
// async context of the failing code, so what the sandbox runs is marked.
import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';

const sandboxWork = new AsyncLocalStorage<true>();

/** Runs `work` as the sandbox's own: its stray failures, and those of what it starts, are printed and survived. */
export function inSandbox<T>(work: () => T): T {
  return sandboxWork.run(true, work);
}

/**
 * Prints the sandbox's stray failures and keeps running; any other uncaught
 * error ends the process as Node would (printed, exit code 1), unless someone
 * else listens for it too. Returns how to remove the guard.
 */
export function guardAgainstCrashes(print: (line: string) => void): () => void {
  const guard = (kind: 'unhandledRejection' | 'uncaughtException', label: string) => (error: unknown) => {
    if (sandboxWork.getStore() === true) {
      print(`✗ ${label} in the sandbox (kept running): ${errorText(error)}`);
      return;
    }
    // Another listener (a test runner, the caller's own) decides for the caller's errors.
    if (process.listenerCount(kind) > 1) return;
    process.stderr.write(`${label} (not in the sandbox, so the process ends): ${inspect(error)}\n`);
    process.exit(1);
  };
  const onRejection = guard('unhandledRejection', 'unhandled rejection');
  const onException = guard('uncaughtException', 'uncaught exception');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
