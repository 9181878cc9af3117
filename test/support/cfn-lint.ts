import { execFile, execFileSync } from 'node:child_process';
import { describe, it } from '@jest/globals';

// cfn-lint (AWS's CloudFormation linter, `pip install cfn-lint`) in tests, as
// test/e2e/support/aws-cli.ts has the AWS CLI: with it the block runs; without
// it, on a developer's machine (CI unset) the block is skipped with the reason
// printed; under CI (any non-empty CI) its tests fail, since a silent skip
// there would hide a template CloudFormation refuses.

const INSTALL = 'pip install cfn-lint';

/** Whether cfn-lint runs (`--version`: a pyenv shim answers `command -v` where it is not installed). */
export function cfnLintPresent(): boolean {
  try {
    execFileSync('cfn-lint', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** `describe` for tests that run cfn-lint: skipped with the reason printed without it, failing under CI. */
export function describeWithCfnLint(name: string, fn: () => void, env: NodeJS.ProcessEnv = process.env): void {
  if (cfnLintPresent()) {
    describe(name, fn);
    return;
  }
  if (env.CI) {
    describe(name, () => {
      it('has cfn-lint', () => {
        throw new Error(`cfn-lint is missing and CI is set: CI must lint the templates (${INSTALL})`);
      });
    });
    return;
  }
  console.warn(`cfn-lint tests skipped: cfn-lint is not installed; install it to run them: ${INSTALL}`);
  const skipped = describe.skip;
  skipped(`${name} [skipped: no cfn-lint]`, fn);
}

/** cfn-lint's findings on a template file: its exit code (0: none) and what it printed. */
export function cfnLint(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('cfn-lint', [file], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
