// Per function: its minified bundle (AWS SDK bundled, the same esbuild options
// and plugins serverless.yml gives serverless-esbuild) and its cold import time,
// the median of fresh Node processes importing the bundle.
import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { projectRoot, readServerlessConfig } from '../../sandbox/serverless-config.ts';
import { median } from './median.ts';

const BUNDLE_BUDGET_BYTES = 1024 * 1024;
const IMPORT_BUDGET_MS = 150;
const RUNS = 11;

export interface BundleFigures {
  fn: string;
  bytes: number;
  importMs: number;
}

const run = promisify(execFile);

// What a cold start evaluates: the module and everything it imports, with the
// environment the function has in AWS (values only need to exist).
export const coldEnv = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  // serverless.yml's AWS::AccountId: where a catalog target naming no account lives.
  AUTOMATION_ACCOUNT: '123456789012',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  RELEASES_TABLE: 'releases',
  LOCKS_TABLE: 'locks',
  IDEMPOTENCY_TABLE: 'idempotency',
  APPROVALS_TABLE: 'approvals',
  AUDIT_TABLE: 'audit',
  DEPLOYMENT_WAITS_TABLE: 'deployment-waits',
  SLACK_TOKEN_PARAMETER: '/bench/slack',
  SLACK_SIGNING_SECRET_PARAMETER: '/bench/slack-signing-secret',
  RELEASE_STATE_MACHINE_NAME: 'release-automation-dev-release',
  ROTATION_STATE_MACHINE_NAME: 'release-automation-dev-rotation',
  GITHUB_WEBHOOK_SECRET_PARAMETER: '/bench/github/webhook-secret',
  EVENT_BUS_NAME: 'bench',
  POWERTOOLS_SERVICE_NAME: 'release-automation',
  POWERTOOLS_METRICS_NAMESPACE: 'ReleaseAutomation',
};

async function coldImportMs(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: coldEnv });
    times.push(Number(stdout));
  }
  return median(times);
}

/** Bundles every function as serverless-esbuild does and measures it. */
export async function benchBundles(): Promise<BundleFigures[]> {
  const config = (await readServerlessConfig()) as Awaited<ReturnType<typeof readServerlessConfig>> & {
    custom: {
      esbuild: { plugins: string; banner?: { js: string }; target: string; format: 'esm'; mainFields?: string[] };
    };
  };
  const options = config.custom.esbuild;
  const plugins = createRequire(import.meta.url)(join(projectRoot, options.plugins));
  const outdir = join(projectRoot, '.bench');
  mkdirSync(outdir, { recursive: true });
  const figures: BundleFigures[] = [];
  for (const [fn, { handler }] of Object.entries(config.functions)) {
    const entry = join(projectRoot, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`);
    const outfile = join(outdir, `${fn}.mjs`);
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      minify: true,
      platform: 'node',
      format: options.format,
      target: options.target,
      banner: options.banner,
      mainFields: options.mainFields,
      plugins,
      logLevel: 'error',
    });
    figures.push({ fn, bytes: statSync(outfile).size, importMs: await coldImportMs(outfile) });
  }
  return figures;
}

export function printBundles(figures: BundleFigures[]): void {
  console.log(`\nFunctions: minified bundle (AWS SDK bundled) and cold import (median of ${RUNS} fresh processes)`);
  console.log(`budget: bundle < ${BUNDLE_BUDGET_BYTES / 1024} KiB, import < ${IMPORT_BUDGET_MS} ms\n`);
  console.log(`${'function'.padEnd(12)} ${'bundle'.padStart(10)} ${'import'.padStart(10)}`);
  for (const { fn, bytes, importMs } of figures) {
    const size = `${(bytes / 1024).toFixed(0)} KiB`;
    const flag = bytes > BUNDLE_BUDGET_BYTES || importMs > IMPORT_BUDGET_MS ? '  OVER BUDGET' : '';
    console.log(`${fn.padEnd(12)} ${size.padStart(10)} ${`${importMs.toFixed(1)} ms`.padStart(10)}${flag}`);
  }
}
