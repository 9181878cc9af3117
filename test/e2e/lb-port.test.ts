import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_LB_PORT } from '../../sandbox/index.ts';
import { probe, tagOf } from '../../scripts/lib/releases.ts';
import { pushAndWatch, releaseProcess } from './support/e2e.ts';

// `npm start -- --lb-port N`: the sandbox as a user starts it (sandbox/main.ts,
// a process of its own), its demo load balancer on a port that is not the
// catalog's default 8080. A healthy release must succeed: its smoke check goes
// to this load balancer, not to 8080 (nothing there, or another sandbox).

const root = fileURLToPath(new URL('../../', import.meta.url));

let sandbox: ChildProcess | undefined;
let endpoint = '';
let lbUrl = '';
let banner = '';

/** Starts `node sandbox/main.ts` on free ports; resolves with its banner, endpoint and the demo's load balancer. */
function startSandboxProcess(): Promise<{ endpoint: string; lbUrl: string; banner: string }> {
  const child = spawn(
    process.execPath,
    [
      'sandbox/main.ts',
      ...['--port', '0', '--slack-port', '0', '--lb-port', '0', '--dashboard-port', '0', '--no-canary-demo'],
      ...['--time-factor', '0.02', '--quiet'],
    ],
    { cwd: root, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  sandbox = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const endpointUrl = /AWS endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const lb = /demo service web \(.*? runs demo\/web:v1 .*?behind (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (endpointUrl && lb && output.includes('Ctrl-C stops everything.'))
        resolve({ endpoint: endpointUrl, lbUrl: lb, banner: output });
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => reject(new Error(`the sandbox exited ${code} before it started:\n${output}`)));
  });
}

beforeAll(async () => {
  ({ endpoint, lbUrl, banner } = await startSandboxProcess());
}, 60_000);

afterAll(async () => {
  const child = sandbox;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}, 30_000);

describe('a sandbox whose load balancer is not on 8080', () => {
  it('listens on a port other than the default, and its banner tells the release CLI where the sandbox is', () => {
    expect(Number(new URL(lbUrl).port)).not.toBe(DEFAULT_LB_PORT);
    expect(banner).toContain(`npx release push demo/web:v2 --watch --endpoint-url ${endpoint}\n`);
  });

  it('`release push demo/web:v2 --watch` SUCCEEDS, its smoke check on that load balancer, which then serves v2', async () => {
    const { code, stdout, stderr } = await pushAndWatch(endpoint);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/SmokeTest\n(.|\n)*^SUCCEEDED in /m);

    const executionArn = /^release started: (arn:\S+)$/m.exec(stdout)?.[1];
    const sfn = new SFNClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    sfn.destroy();
    const smoke = events.find((event) => event.stateExitedEventDetails?.name === 'SmokeTest');
    const checked = JSON.parse(smoke?.stateExitedEventDetails?.output ?? '{}') as {
      smoke?: { passed: boolean; checks: { url: string }[] };
    };
    expect(checked.smoke).toEqual({ passed: true, checks: [expect.objectContaining({ url: `${lbUrl}/` })] });

    const answers = await probe(lbUrl, 4);
    expect(answers.map((answer) => `${answer.status} ${tagOf(answer.image)}`)).toEqual(Array(4).fill('200 v2'));
  }, 60_000);

  it('serves the dashboard at the URL its banner gives, over this sandbox: the release just made is on its timeline', async () => {
    const url = /^ {2}dashboard +(http:\/\/127\.0\.0\.1:\d+\/) /m.exec(banner)?.[1];
    expect(url).toBeDefined();
    const lanes = (await (await fetch(`${url}api/releases`)).json()) as { service: string; releases: unknown[] }[];
    expect(lanes.find((lane) => lane.service === 'web')?.releases.length).toBeGreaterThan(0);

    // `release dashboard` on the port the sandbox's dashboard holds: a clear error, not a stack.
    const busy = await releaseProcess(['dashboard', '--endpoint-url', endpoint, '--port', new URL(url ?? '').port]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/port \d+ on 127\.0\.0\.1 is taken: choose another with --port <n>/);
  }, 30_000);
});
