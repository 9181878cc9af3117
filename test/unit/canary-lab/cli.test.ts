import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const side = { errorRate: 0.01, latencyMs: 100, latencyJitter: 0.15 };

const lab = async (scenario: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'canary-lab-')), 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/canary-lab.ts', file], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('npm run canary-lab', () => {
  it('prints a table, then the figures as one JSON line, last', async () => {
    const { code, stdout } = await lab({
      trials: 20,
      seed: 3,
      trafficPerMinute: 6000,
      baseline: side,
      canary: { ...side, errorRate: 0.2 },
    });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('canary lab: scenario');
    const figures = JSON.parse(lines.at(-1) ?? '');
    expect(Object.keys(figures)).toEqual([
      'trials',
      'promoted',
      'rolledBack',
      'rolledBackOnFailure',
      'rolledBackNoData',
      'asked',
      'extended',
      'analysesToRollback',
    ]);
    expect(figures).toMatchObject({ trials: 20, rolledBack: 20, rolledBackOnFailure: 20, promoted: 0 });
    expect(Object.keys(figures.analysesToRollback)).toEqual(['mean', 'p95']);
  });

  it('refuses a bad scenario with exit code 2 and a message naming the field, printing no result', async () => {
    const { code, stdout, stderr } = await lab({
      trials: 200_000,
      seed: 3,
      trafficPerMinute: 6000,
      baseline: side,
      canary: side,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^invalid scenario: trials: /);
  });
});
