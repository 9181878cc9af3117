// The slack-command handler against Slack's 3 s deadline: its own work per
// request (p50/p99 of 1000 warm in-process invocations, AWS mocked), and its
// cold start: a new Node process importing the function's bundle (as
// serverless-esbuild builds it) and answering one signed `/release help`, from
// process start to the answer, beside bare Node's start in the same run. The
// one AWS call of a cold `/release help` (SSM's signing secret) goes to a
// loopback stand-in, so only the function's own start is counted.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionUrlEvent } from '../../sandbox/lambda/function-url-event.ts';
import { signSlackBody, slashCommandBody } from '../../src/slack/wiring.ts';
import { coldEnv } from './bundles.ts';
import { median } from './median.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const child = fileURLToPath(new URL('./slack-child.ts', import.meta.url));
const COLD_RUNS = 5;
const SLACK_DEADLINE_MS = 3000;
const SECRET = 'bench-signing-secret';

export interface SlackFigures {
  /** Milliseconds per request, warm: `/release help` and an approval (decision, SendTaskSuccess, message update). */
  warm: Record<'help' | 'approve', { p50: number; p99: number }>;
  /** Process start to the answer of one request, median of COLD_RUNS. */
  coldStartMs: number;
  /** Process start to exit of `node -e ''`, median of COLD_RUNS. */
  bareNodeMs: number;
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Runs `node args`; resolves with its stdout and the time from spawn to its exit. */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let stdout = '';
    const node = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    node.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    node.on('error', reject);
    node.on('close', (code) => {
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}`));
      else resolve({ ms: performance.now() - start, stdout });
    });
  });
}

/** SSM's GetParameter as the function's one cold call needs it. */
async function ssmStandIn() {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
        JSON.stringify({
          Parameter: {
            Name: coldEnv.SLACK_SIGNING_SECRET_PARAMETER,
            Type: 'SecureString',
            Value: SECRET,
            Version: 1,
          },
        }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Needs the slackCommand bundle that benchBundles() wrote to .bench/. */
export async function benchSlack(): Promise<SlackFigures> {
  const warm = JSON.parse((await timed([child])).stdout) as Record<'help' | 'approve', number[]>;
  const ssm = await ssmStandIn();
  const bundle = join(root, '.bench', 'slackCommand.mjs');
  const cold: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < COLD_RUNS; i++) {
      const signed = signSlackBody(slashCommandBody('/release help', 'U0BENCH'), SECRET);
      const event = functionUrlEvent(
        { method: 'POST', url: '/', headers: signed.headers, body: signed.body },
        { urlId: 'bench', region: 'us-east-1' },
      );
      const script = [
        `const { handler } = await import(${JSON.stringify(bundle)});`,
        "const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench', getRemainingTimeInMillis: () => 10000 };",
        'const answer = await handler(JSON.parse(process.env.BENCH_EVENT), context);',
        "if (answer.statusCode !== 200) throw new Error('answered ' + answer.statusCode);",
      ].join('\n');
      const env = {
        ...coldEnv,
        AWS_ENDPOINT_URL: ssm.url,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        BENCH_EVENT: JSON.stringify(event),
      };
      bare.push((await timed(['-e', ''])).ms);
      cold.push((await timed(['--input-type=module', '-e', script], env)).ms);
    }
  } finally {
    ssm.close();
  }
  const summary = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  return {
    warm: { help: summary(warm.help), approve: summary(warm.approve) },
    coldStartMs: median(cold),
    bareNodeMs: median(bare),
  };
}

export function printSlack(figures: SlackFigures): void {
  const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  const { help, approve } = figures.warm;
  console.log(`\nslack-command, against Slack's ${SLACK_DEADLINE_MS / 1000} s deadline`);
  console.log(`  warm, own work (1000 each): /release help p50 ${ms(help.p50)} p99 ${ms(help.p99)}`);
  console.log(`                              /release approve p50 ${ms(approve.p50)} p99 ${ms(approve.p99)}`);
  console.log(
    `  cold start (process start → answer, bundle, median of ${COLD_RUNS}): ${ms(figures.coldStartMs)}` +
      ` (bare node: ${ms(figures.bareNodeMs)}; ${((figures.coldStartMs / SLACK_DEADLINE_MS) * 100).toFixed(0)}% of the deadline)`,
  );
}
