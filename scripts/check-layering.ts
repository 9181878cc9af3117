// Proves the layering rules in biome.json fire. Biome gives each rule the options
// of the LAST override that matches a file, replacing (not merging) earlier ones,
// so a broad override placed after a narrow one silently switches the narrow
// one's restrictions off and `npm run lint` stays green. Each probe (layering-probes.ts) is a
// file that breaks exactly one rule, written for a moment into a folder where the
// rule applies; Biome must report that rule and nothing else. The clean probes
// must pass, so the check cannot pass just because Biome errors on everything
// (Biome also exits non-zero when it processes no file at all).
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probes } from './layering-probes.ts';

const root = join(import.meta.dirname, '..');
const biome = join(root, 'node_modules/.bin/biome');
// .gitignore lists this name, so a probe a SIGKILL left behind is never committed nor linted.
const probeName = `layering-probe-${process.pid}.ts`;
const written = new Set<string>();
const removeProbes = () => {
  for (const file of written) rmSync(file, { force: true });
  written.clear();
};
process.on('exit', removeProbes);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.once(signal, () => process.exit(code));
}

interface Diagnostic {
  rule: string;
  message: string;
}

/** Lints one file with the project's biome.json; the GitHub reporter prints one line per diagnostic. */
const lint = (file: string) =>
  new Promise<{ exitCode: number; diagnostics: Diagnostic[] }>((resolve, reject) => {
    // The probe name is git-ignored, so Biome must be told not to skip it.
    const args = ['lint', '--reporter=github', '--vcs-use-ignore-file=false', '--max-diagnostics=none', file];
    execFile(biome, args, { cwd: root }, (error, stdout) => {
      if (error !== null && typeof error.code !== 'number') return reject(error);
      const diagnostics = [...stdout.matchAll(/^::\w+ title=([^,]+),[^\n]*?::(.*)$/gm)].map(
        ([, rule = '', message = '']) => ({
          rule,
          message,
        }),
      );
      resolve({ exitCode: typeof error?.code === 'number' ? error.code : 0, diagnostics });
    });
  });

const failures: string[] = [];
for (const probe of probes) {
  const relative = `${probe.dir}/${probeName}`;
  const file = join(root, relative);
  written.add(file);
  let result: Awaited<ReturnType<typeof lint>>;
  try {
    writeFileSync(file, probe.source);
    result = await lint(relative);
  } finally {
    removeProbes();
  }
  const { expect } = probe;
  const [found] = result.diagnostics;
  const ok =
    expect === undefined
      ? result.exitCode === 0 && result.diagnostics.length === 0
      : result.exitCode !== 0 &&
        result.diagnostics.length === 1 &&
        found?.rule === expect.rule &&
        found.message.includes(expect.message);
  const verdict = expect === undefined ? (ok ? 'passed' : 'NOT CLEAN') : ok ? 'fired' : 'NOT FIRED';
  console.log(`${verdict.padEnd(9)} ${(expect?.rule ?? '(clean)').padEnd(30)} ${relative.padEnd(40)} ${probe.what}`);
  if (!ok) {
    failures.push(probe.what);
    const seen = result.diagnostics.map((d) => `${d.rule}: ${d.message}`).join('; ') || 'no diagnostic';
    console.log(`          biome exited ${result.exitCode} with ${seen}`);
  }
}
if (failures.length > 0) {
  console.error(`\n${failures.length} of ${probes.length} layering probes failed: see biome.json's overrides`);
  process.exit(1);
}
console.log(`\nall ${probes.length} layering probes behaved`);
