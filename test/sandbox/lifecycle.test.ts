import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from '@jest/globals';
import { FUNCTION_URLS_PATH, startSandbox } from '../../sandbox/index.ts';
import { sdkConfig } from './support/clients.ts';

// Starting and stopping: nothing left listening, the process environment
// never written, a function's stray failure never taking the sandbox down, and
// `npm start` (sandbox/main.ts) stopping cleanly on SIGINT.

const refused = async (url: string) => {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch (error) {
    return String((error as Error & { cause?: { code?: string } }).cause?.code) === 'ECONNREFUSED';
  }
};

// Runs a script to its end, or kills it after `boundMs` (then `code` is null).
function run(
  command: string,
  args: string[],
  boundMs = 50_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const bound = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('exit', (code) => {
      clearTimeout(bound);
      resolve({ code, stdout, stderr });
    });
  });
}

// The servers listening in this process. Jest runs other test files in the
// same worker, whose servers may still be closing: compare the servers
// themselves, never a count.
const servers = () =>
  new Set(
    (process as unknown as { _getActiveHandles(): unknown[] })
      ._getActiveHandles()
      .filter((handle): handle is Server => handle instanceof Server && handle.listening),
  );

describe('the sandbox lifecycle', () => {
  it('stops every server and leaves process.env as it was; stopping twice is harmless', async () => {
    const before = servers();
    const environmentBefore = { ...process.env };
    const sandbox = await startSandbox({ port: 0, slackPort: 0, quiet: true, services: [] });
    // The functions' environment is theirs: several sandboxes in one process must not share it.
    expect(sandbox.environment.AWS_ENDPOINT_URL).toBe(sandbox.endpoint);
    expect({ ...process.env }).toEqual(environmentBefore);
    const opened = [...servers()].filter((server) => !before.has(server));
    // The AWS endpoint, the Slack stub and DynamoDB (dynalite) at least.
    expect(opened.length).toBeGreaterThanOrEqual(3);
    // The CLI helpers find the function URLs through the endpoint.
    const listed = await fetch(`${sandbox.endpoint}${FUNCTION_URLS_PATH}`).then((response) => response.json());
    expect(listed).toEqual(sandbox.functionUrls);
    await sandbox.stop();
    await sandbox.stop();
    expect(await refused(sandbox.endpoint)).toBe(true);
    expect(await refused(sandbox.slack.apiUrl)).toBe(true);
    for (const url of Object.values(sandbox.functionUrls)) expect(await refused(url)).toBe(true);
    // Closed handles are released on the next turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(opened.filter((server) => server.listening)).toEqual([]);
    expect([...servers()].filter((server) => !before.has(server))).toEqual([]);
    expect({ ...process.env }).toEqual(environmentBefore);
  });

  it('runs a second sandbox on other ports after the first, its functions wired to it', async () => {
    const first = await startSandbox({
      port: 0,
      slackPort: 0,
      quiet: true,
      services: [],
      environment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    // Any invocation wires the real handler, with the SDK clients it builds for this sandbox.
    await first.lambda.invoke('finish', {}).catch(() => undefined);
    await first.stop();
    const second = await startSandbox({
      port: 0,
      slackPort: 0,
      quiet: true,
      services: [],
      environment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    try {
      expect(second.endpoint).not.toBe(first.endpoint);
      // abandon looks the stopped execution up in the second sandbox's ReleasesTable: it answers from
      // there (nothing ran there), where functions wired at import would still call the first, now closed.
      const stopped = JSON.parse(
        readFileSync(new URL('../../events/aws.states/execution-aborted.json', import.meta.url), 'utf8'),
      ) as unknown;
      expect(await second.lambda.invoke('abandon', stopped)).toMatchObject({ abandoned: [] });
    } finally {
      await second.stop();
    }
    expect(await refused(first.endpoint)).toBe(true);
  });

  it("survives a function's stray failures (a rejection nobody awaits, a throw in a timer)", async () => {
    const script = fileURLToPath(new URL('./support/stray-failure.ts', import.meta.url));
    const { code, stdout } = await run(process.execPath, [script]);
    expect(code).toBe(0);
    const { status, printed } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      status: string;
      printed: string[];
    };
    expect(status).toBe('SUCCEEDED');
    expect(
      printed.some((line) =>
        line.startsWith('✗ unhandled rejection in the sandbox (kept running): Error: stray rejection'),
      ),
    ).toBe(true);
    expect(
      printed.some((line) =>
        line.startsWith('✗ uncaught exception in the sandbox (kept running): Error: stray exception'),
      ),
    ).toBe(true);
  }, 60_000);

  it.each(['throw', 'timer', 'reject'])(
    'ends the process of a caller whose own code fails (%s): exit 1, the error printed, nothing left listening',
    async (how) => {
      const script = fileURLToPath(new URL('./support/caller-failure.ts', import.meta.url));
      const { code, stdout, stderr } = await run(process.execPath, [script, how]);
      expect(stderr).toContain(`Error: the caller's own failure (${how})`);
      expect(code).toBe(1);
      // The caller's own line (the sandbox's functions may log before it).
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"ports":'));
      const { ports } = JSON.parse(line ?? '{}') as { ports: number[] };
      expect(ports).toHaveLength(3);
      for (const port of ports) expect(await refused(`http://127.0.0.1:${port}/`)).toBe(true);
    },
    60_000,
  );

  // Ctrl-C signals the whole process group; a supervisor stopping `npm start`
  // signals npm alone, which passes it on to the script: npm's shell must not
  // be left in between (the start script execs node).
  // The canary demo and its traffic run by default; on a free port here.
  const ports = [
    '--port',
    '0',
    '--slack-port',
    '0',
    '--lb-port',
    '0',
    '--shop-lb-port',
    '0',
    '--dashboard-port',
    '0',
    '--quiet',
  ];
  const root = fileURLToPath(new URL('../..', import.meta.url));
  it.each([
    {
      how: 'node sandbox/main.ts, SIGINT',
      command: process.execPath,
      args: ['sandbox/main.ts', ...ports],
      signal: 'SIGINT',
    },
    {
      how: 'npm start, SIGTERM to npm',
      command: 'npm',
      args: ['start', '--silent', '--', ...ports],
      signal: 'SIGTERM',
    },
  ] as const)(
    '$how: serves the endpoint and the demo, then stops with nothing listening',
    async ({ command, args, signal }) => {
      const child: ChildProcess = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        for (let attempt = 0; attempt < 300 && !output.includes('Ctrl-C stops everything.'); attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const endpoint = /AWS endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
        expect(endpoint).not.toBe('');
        const sfn = new SFNClient(sdkConfig(endpoint));
        const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
        expect(stateMachines?.map((machine) => machine.name)).toEqual([
          'release-automation-dev-release',
          'release-automation-dev-rotation',
        ]);
        sfn.destroy();
        // The demo service answers behind its load balancer.
        const demo = /behind (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
        expect(await (await fetch(demo)).text()).toContain('demo/web v1');
        // So does the canary demo, with its traffic, and the banner says how to try a good and a bad canary.
        const shop =
          /shop runs demo\/shop:v1-err0\.5-lat20-jit30 behind (http:\/\/127\.0\.0\.1:\d+).*, 20 requests\/s of demo traffic$/m.exec(
            output,
          )?.[1];
        expect(shop).toBeDefined();
        expect(await (await fetch(shop ?? '')).text()).toContain('demo/shop v1');
        expect(output).toMatch(/npx release push demo\/shop:v2 --watch --endpoint-url \S+ +a good canary/);
        expect(output).toMatch(/npx release push demo\/shop:v2-err30 --watch --endpoint-url \S+ +a bad one/);

        child.kill(signal);
        expect(await exited).toBe(0);
        // npm has exited; give the sandbox the moment its own stop takes, then nothing may answer.
        for (let attempt = 0; attempt < 50 && !output.includes('stopped.'); attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(output).toContain('stopped.');
        expect(await refused(endpoint)).toBe(true);
        expect(await refused(demo)).toBe(true);
        expect(await refused(shop ?? '')).toBe(true);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
    60_000,
  );
});
