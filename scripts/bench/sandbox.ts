// The sandbox's figures for `npm run bench`, each measured in a fresh child
// process with a fresh sandbox (sandbox-child.ts): what each kind of release
// costs in state transitions and Lambda invocations (from GetExecutionHistory),
// the pipeline's own push → UpdateService time, the sandbox's idle memory,
// 20 services released at once against one alone, the reliability scenarios,
// and how fast a bad canary is rolled back.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CanaryFigures, printCanary } from './canary.ts';
import type { FanOutFigures } from './fanout.ts';
import type { PushToUpdate } from './history-figures.ts';
import type { MemoryFigures } from './idle-memory.ts';
import { median } from './median.ts';
import type { ReleaseKindFigures } from './release-kinds.ts';
import { printReliability, type ReliabilityFigures } from './reliability.ts';

const OVERHEAD_BUDGET_MS = 500;
const MEMORY_BUDGET_BYTES = 300 * 1024 * 1024;
const FAN_OUT_BUDGET_RATIO = 2;
const CHILD_TIMEOUT_MS = 180_000;

export interface SandboxFigures {
  releases: ReleaseKindFigures;
  memory: MemoryFigures;
  fanOut: FanOutFigures;
  reliability: ReliabilityFigures;
  canary: CanaryFigures;
}

const child = fileURLToPath(new URL('./sandbox-child.ts', import.meta.url));
const catalog = fileURLToPath(new URL('./catalog.yml', import.meta.url));

/** Runs one measurement in its own process; its output is shown only if it fails. */
export function measureInChild<T>(name: string, env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const worker = fork(child, [name], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => output.push(chunk.toString());
    worker.stdout?.on('data', keep);
    worker.stderr?.on('data', keep);
    let figures: T | undefined;
    worker.on('message', (message) => {
      figures = (message as { figures: T }).figures;
    });
    const timer = setTimeout(() => worker.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    worker.on('exit', (code, signal) => {
      clearTimeout(timer);
      // A child that sent its figures but does not exit left something running: that is a finding too.
      if (code === 0 && figures !== undefined) resolve(figures);
      else {
        const how = signal ? `was killed (${signal}) after ${CHILD_TIMEOUT_MS / 1000} s` : `exited ${code}`;
        reject(new Error(`sandbox bench "${name}" ${how}:\n${output.join('').split('\n').slice(-30).join('\n')}`));
      }
    });
  });
}

export async function benchSandbox(): Promise<SandboxFigures> {
  const releases = await measureInChild<ReleaseKindFigures>('release-kinds');
  const memory = await measureInChild<MemoryFigures>('memory');
  const fanOut = await measureInChild<FanOutFigures>('fan-out', { RELEASE_CATALOG_FILE: catalog });
  const reliability = await measureInChild<ReliabilityFigures>('reliability');
  const canary = await measureInChild<CanaryFigures>('canary');
  return { releases, memory, fanOut, reliability, canary };
}

const ms = (value: number) => `${Math.round(value)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const over = (exceeded: boolean) => (exceeded ? '  OVER BUDGET' : '');

function overheadLine(label: string, figures: PushToUpdate): string {
  return (
    `${label.padEnd(26)} ${ms(figures.totalMs).padStart(8)}   (event delivery ${ms(figures.deliveryMs)}, ` +
    `state machine and functions ${ms(figures.pipelineMs)}, Wait time excluded ${ms(figures.waitedMs)})` +
    over(figures.totalMs > OVERHEAD_BUDGET_MS)
  );
}

export function printSandbox({ releases, memory, fanOut, reliability, canary }: SandboxFigures): void {
  console.log('\nSandbox: each measurement in a fresh sandbox in a process of its own');
  console.log(
    `\nPer release kind (demo service, time factor ${releases.timeFactor}), from GetExecutionHistory:\n` +
      'states entered (billed state transitions) and Lambda invocations',
  );
  console.log(
    `${'kind'.padEnd(32)} ${'tag'.padEnd(9)} ${'outcome'.padEnd(12)} ${'transitions'.padStart(11)} ${'lambdas'.padStart(8)} ${'waits'.padStart(6)}`,
  );
  for (const k of releases.kinds) {
    console.log(
      `${k.kind.padEnd(32)} ${k.tag.padEnd(9)} ${k.outcome.padEnd(12)} ${String(k.transitions).padStart(11)} ${String(k.invocations).padStart(8)} ${String(k.waits).padStart(6)}`,
    );
  }
  console.log(
    '(waits: Wait states entered, e.g. WaitForTarget while the target is busy; a rolling deployment or rollback\n' +
      " waits in one callback task that ECS's events wake (see the waits section below), a canary's rollout in\n" +
      ' WaitForRollout ⇄ CheckRollout rounds of 3 transitions and 1 invocation (the analysis and its notice in it),\n' +
      ' one per analysis interval while a step\n' +
      ' bakes, every 15 s where nothing is analysed)',
  );

  console.log(`\nPipeline overhead, push → UpdateService, waits excluded; budget ${ms(OVERHEAD_BUDGET_MS)}`);
  console.log(
    "method: push sent (Date.now() before PutImage) → the service deployment's createdAt (ECS's own\n" +
      "timestamp of the Deploy step's UpdateService), minus the time between any WaitStateEntered and\n" +
      'WaitStateExited before it; the split at ExecutionStarted is read from the history. Same clock: the\n' +
      'sandbox runs in the measuring process.',
  );
  console.log(overheadLine('first release (cold)', releases.cold));
  const warm = releases.warm;
  const typical = warm.find((w) => w.totalMs === median(warm.map((x) => x.totalMs))) ?? warm[0];
  if (typical) console.log(overheadLine(`warm (median of ${warm.length})`, typical));
  console.log('(cold: the first release also imports every function in-process, as Lambda cold starts would)');

  console.log(
    `\nSandbox resident memory, idle with the demo running (child process, after GC); budget ${mib(MEMORY_BUDGET_BYTES)}`,
  );
  console.log(
    `after start-up               ${mib(memory.startedRss).padStart(8)}${over(memory.startedRss > MEMORY_BUDGET_BYTES)}`,
  );
  console.log(
    `after one release            ${mib(memory.releasedRss).padStart(8)}   (functions loaded; heap used ${mib(memory.heapUsed)})${over(memory.releasedRss > MEMORY_BUDGET_BYTES)}`,
  );

  const ratio = fanOut.allMs / fanOut.singleMs;
  console.log(
    `\n${fanOut.services} releases of ${fanOut.services} services started at once (time factor ${fanOut.timeFactor}); ` +
      `budget within ${FAN_OUT_BUDGET_RATIO}× one release`,
  );
  console.log(
    `one release alone            ${ms(fanOut.singleMs).padStart(8)}   (push → execution end, median of 3; CPU ${ms(fanOut.singleCpuMs)})`,
  );
  console.log(
    `${`${fanOut.services} at once`.padEnd(28)} ${ms(fanOut.allMs).padStart(8)}   (${ratio.toFixed(2)}×; CPU ${ms(fanOut.allCpuMs)}, ` +
      `event loop busy ${Math.round(fanOut.allEventLoopUtilization * 100)}%)${over(ratio > FAN_OUT_BUDGET_RATIO)}`,
  );
  console.log(
    `correct                      ${`${fanOut.correct}/${fanOut.services}`.padStart(8)}   (SUCCEEDED, pushed digest live, load balancer serves the new tag)`,
  );
  console.log(
    '(the sandbox runs every function, emulator and task in one thread: the releases overlap in their\n' +
      "Wait states, but their CPU work queues up. A release's waits shrink with the time factor, its CPU\n" +
      'work does not, so the ratio grows as the factor falls; in AWS (factor 1) the waits dominate.)',
  );
  for (const failure of fanOut.failures) console.log(`  ✗ ${failure}`);
  printReliability(reliability);
  printCanary(canary);
}
