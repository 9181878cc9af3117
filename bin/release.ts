#!/usr/bin/env node
// `npx release <command>`: the release-automation CLI (see `release --help`).
import { main } from '../src/cli/main.ts';
import { globalUsage, UsageError } from '../src/cli/usage.ts';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`release: ${error.message}\n\n${globalUsage}`);
    process.exitCode = 2;
  } else {
    const { name, message } = error as Error;
    const hint =
      name === 'TimeoutError' || /ECONNREFUSED|TimeoutError/.test(message)
        ? ' (is the sandbox running? npm start)'
        : '';
    console.error(`release: ${name}: ${message}${hint}`);
    process.exitCode = 1;
  }
}
