import type { SmokeCheck } from '../catalog/index.ts';
import { SmokeTestFailedError } from '../platform/errors.ts';
import type { HttpProbe, ProbeOutcome } from './ports/http-probe.ts';
import type { SmokeCheckResult, SmokeResult } from './release.ts';

/** What running smoke checks needs: the HTTP probe and a way to wait between attempts. */
export interface SmokeDeps {
  probe: HttpProbe;
  sleep: (ms: number) => Promise<void>;
}

/** Runs every check concurrently; resolves when all pass, throws SmokeTestFailedError listing each failing one. */
export async function runSmokeTest(checks: SmokeCheck[], deps: SmokeDeps): Promise<SmokeResult> {
  const results = await Promise.all(checks.map((check) => runCheck(check, deps)));
  const failures = checks.flatMap((check, index) => {
    const result = results[index];
    if (result === undefined || result.passed) return [];
    const request = `${check.method} ${check.url}`;
    const label = check.name === undefined ? request : `${check.name} (${request})`;
    return [`- ${label}: ${result.detail} (${plural(result.attempts, 'attempt')})`];
  });
  if (failures.length > 0) {
    throw new SmokeTestFailedError(
      `${failures.length} of ${plural(checks.length, 'smoke check')} failed:\n${failures.join('\n')}`,
    );
  }
  return { passed: true, checks: results };
}

async function runCheck(check: SmokeCheck, deps: SmokeDeps): Promise<SmokeCheckResult> {
  const name = check.name ?? `${check.method} ${check.url}`;
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await deps.probe.request({
      url: check.url,
      method: check.method,
      timeoutMs: check.timeoutSeconds * 1000,
      readBody: check.bodyMatch !== undefined,
    });
    const result: SmokeCheckResult = { name, url: check.url, attempts: attempt, ...judge(check, outcome) };
    if (result.passed || attempt >= check.attempts) return result;
    await deps.sleep(check.retryDelaySeconds * 1000);
  }
}

function judge(
  check: SmokeCheck,
  outcome: ProbeOutcome,
): Pick<SmokeCheckResult, 'passed' | 'status' | 'latencyMs' | 'detail'> {
  const latencyMs = Math.round(outcome.latencyMs);
  switch (outcome.kind) {
    case 'timeout':
      return { passed: false, latencyMs, detail: `no response within ${check.timeoutSeconds} s` };
    case 'error':
      return { passed: false, latencyMs, detail: `connection failed: ${outcome.message}` };
    case 'response': {
      const { status } = outcome;
      if (status !== check.expectStatus) {
        return { passed: false, status, latencyMs, detail: `expected status ${check.expectStatus}, got ${status}` };
      }
      if (check.bodyMatch !== undefined && !(outcome.body ?? '').includes(check.bodyMatch)) {
        return {
          passed: false,
          status,
          latencyMs,
          detail: `status ${status} but the body does not contain "${check.bodyMatch}"`,
        };
      }
      return { passed: true, status, latencyMs };
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
