import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { main } from '../../../src/cli/main.ts';
import { type CliResult, awsCli as runAwsCli } from '../../sandbox/support/clients.ts';

// The public interfaces the end-to-end tests drive the sandbox through: the
// `release` CLI (in-process and as a real process), the AWS CLI v2, and plain
// TCP. Time factor of the e2e sandboxes: releases take about a second.

export const E2E_TIME_FACTOR = 0.02;

const AWS_CLI = '/usr/bin/aws';
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The AWS CLI v2 against the sandbox; a missing CLI fails the test loudly instead of skipping it. */
export function awsCli(endpoint: string, args: string[]): Promise<CliResult> {
  if (!existsSync(AWS_CLI)) {
    throw new Error(`${AWS_CLI} is missing: the end-to-end tests need the AWS CLI v2 (apt-get install -y awscli)`);
  }
  return runAwsCli(endpoint, args);
}

/** The AWS CLI's JSON output, or a failure showing what it printed. */
export async function awsJson<T>(endpoint: string, args: string[]): Promise<T> {
  const result = await awsCli(endpoint, args);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** `release <args>` in-process, through the same main() as bin/release.ts, its output captured. */
export async function release(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(...line.split('\n')));
  return { code, lines };
}

/** `node bin/release.ts <args>` as a real process. */
export function releaseProcess(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/release.ts', ...args],
      { cwd: root, env: process.env, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** How a TCP connection to a loopback port ends: `connected` or the error code (ECONNREFUSED once closed). */
export function connectTo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
