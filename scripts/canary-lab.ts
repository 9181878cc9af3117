// `npm run canary-lab -- <scenario.json>`: simulates many releases of one
// service through the production canary judgement (src/canary) and prints how
// they ended; the last line is the figures as JSON. Exit 2 on a bad scenario.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EndlessReleaseError, InvalidScenarioError, UnknownDecisionError } from './canary-lab/errors.ts';
import { formatTable } from './canary-lab/report.ts';
import { runScenario, summaryOf } from './canary-lab/run.ts';
import { parseScenario } from './canary-lab/scenario.ts';

const [file, ...rest] = process.argv.slice(2);
if (file === undefined || rest.length > 0) {
  process.stderr.write('usage: npm run canary-lab -- <scenario.json>\n');
  process.exit(2);
}
let text: string;
try {
  text = await readFile(file, 'utf8');
} catch (error) {
  process.stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
  process.exit(2);
}
try {
  const scenario = parseScenario(text);
  const started = performance.now();
  // Progress on stderr, about once a second's worth of a long run: stdout stays the table and the JSON line.
  const every = Math.max(1, Math.floor(scenario.trials / 20));
  const summary = await runScenario({
    scenario,
    progress: (done, total) => {
      if (scenario.trials >= 1000 && done % every === 0) process.stderr.write(`  ${done}/${total} releases\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${formatTable(basename(file, '.json'), scenario, summary, seconds)}\n`);
  process.stdout.write(`${JSON.stringify(summaryOf(summary))}\n`);
} catch (error) {
  // A bad scenario is the caller's (exit 2); a judge the state machine could not follow is the code's (exit 1).
  if (error instanceof InvalidScenarioError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof UnknownDecisionError || error instanceof EndlessReleaseError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
