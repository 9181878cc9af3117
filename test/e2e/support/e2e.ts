import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from '@jest/globals';
import {
  type ReleaseSandbox,
  type ReleaseSandboxOptions,
  startReleaseSandbox,
} from '../../../scripts/lib/release-sandbox.ts';
import { main } from '../../../src/cli/main.ts';
import type { CliResult } from './aws-cli.ts';

// The public interfaces the end-to-end tests drive the sandbox through: the
// `release` CLI (in-process and as a real process) and plain TCP; the AWS CLI
// v2 and `describeWithAwsCli` are in aws-cli.ts. Time factor of the e2e
// sandboxes: releases take about a second.

export const E2E_TIME_FACTOR = 0.02;

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** `release <args>` in-process, through the same main() as bin/release.ts, its output captured. */
export async function release(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(...line.split('\n')));
  return { code, lines };
}

/** `node bin/release.ts <args>` as a real process. */
export function releaseProcess(args: string[], timeoutMs = 60_000, env = process.env): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/release.ts', ...args],
      { cwd: root, env, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `node bin/release.ts push <image> --watch` (a real process) against the sandbox at `endpoint`. */
export const pushAndWatch = (endpoint: string, image = 'demo/web:v2'): Promise<CliResult> =>
  releaseProcess(['push', image, '--watch', '--endpoint-url', endpoint]);

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

/**
 * Starts a fresh release sandbox before the file's tests and stops it after. The returned object
 * stands for that sandbox (read it in tests and hooks, once it has started).
 */
export function useReleaseSandbox(options: ReleaseSandboxOptions = { timeFactor: E2E_TIME_FACTOR }): ReleaseSandbox {
  let started: ReleaseSandbox | undefined;
  beforeAll(async () => {
    started = await startReleaseSandbox(options);
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
  }, 30_000);
  return new Proxy({} as ReleaseSandbox, {
    get(_, property) {
      if (!started) throw new Error('the release sandbox starts in beforeAll');
      return Reflect.get(started, property);
    },
  });
}
