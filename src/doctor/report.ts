import type { DoctorCheck } from './check.ts';

/** The report as a person reads it: one line per check, grouped by target, each ✘ with its fix. */
export function formatDoctorReport(checks: readonly DoctorCheck[], heading: string): string {
  const lines = [heading];
  let group: string | undefined;
  for (const check of checks) {
    if (check.target !== group) {
      group = check.target;
      lines.push('', group);
    }
    lines.push(`  ${check.ok ? '✔' : '✘'} ${check.check}: ${check.detail}`);
    if (!check.ok && check.fix !== undefined) lines.push(`      fix: ${check.fix}`);
  }
  const failures = checks.filter((check) => !check.ok).length;
  lines.push(
    '',
    failures === 0 ? `all ${checks.length} checks passed` : `${failures} of ${checks.length} checks failed`,
  );
  return lines.join('\n');
}
