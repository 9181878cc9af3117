// The one way this code waits: a pause, or asking again until an answer comes
// or a deadline passes. Polls ask at most once per interval, so a slow answer
// is never asked for twice at once.

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls `probe` every `intervalMs` until it returns a value or `timeoutMs` has passed; undefined if none came. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs: number },
): Promise<T | undefined> {
  const until = Date.now() + options.timeoutMs;
  while (Date.now() < until) {
    const found = await probe();
    if (found !== undefined) return found;
    await sleep(options.intervalMs);
  }
  return undefined;
}
