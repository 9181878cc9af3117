import { allowExpiry, type ScanPolicy } from '../catalog/index.ts';
import { SCAN_SEVERITIES, type ScanFinding } from './ports/scan-findings.ts';

// Whether an image's findings fit its environment's budget: CRITICAL and HIGH
// findings count unless an allow entry names them and has not expired yet.

/** How an image's findings were judged against a scan budget. */
export interface ScanJudgement {
  withinBudget: boolean;
  /** CRITICAL and HIGH findings that count (not allowed, or allowed no longer), worst first. */
  counted: ScanFinding[];
  critical: number;
  high: number;
  /** Ids of findings an unexpired allow entry excused. */
  allowed: string[];
  /** Ids of findings whose allow entry has expired: they count again. */
  expired: string[];
}

const GATED = new Set(['CRITICAL', 'HIGH']);
const rank = (finding: ScanFinding) => SCAN_SEVERITIES.indexOf(finding.severity);

/** The findings of one scan judged against `policy` at `now` (an allow entry holds until its `until`). */
export function judgeFindings(policy: ScanPolicy, findings: readonly ScanFinding[], now: Date): ScanJudgement {
  const allowedIds = new Set<string>();
  const expiredIds = new Set<string>();
  for (const entry of policy.allow) {
    (allowExpiry(entry.until).getTime() > now.getTime() ? allowedIds : expiredIds).add(entry.id);
  }
  const gated = findings.filter((finding) => GATED.has(finding.severity));
  const counted = gated.filter((finding) => !allowedIds.has(finding.id)).sort((a, b) => rank(a) - rank(b));
  const critical = counted.filter((finding) => finding.severity === 'CRITICAL').length;
  const high = counted.filter((finding) => finding.severity === 'HIGH').length;
  const present = (ids: Set<string>) => [...new Set(gated.map(({ id }) => id))].filter((id) => ids.has(id)).sort();
  return {
    withinBudget: critical <= policy.maxCritical && high <= policy.maxHigh,
    counted,
    critical,
    high,
    allowed: present(allowedIds),
    expired: present(expiredIds),
  };
}

// A Slack message stays readable: the worst few findings, then how many more.
const SHOWN_FINDINGS = 5;

/** Why an over-budget image is refused: the counts against the budget, then the worst findings, a line each. */
export function overBudgetReason(image: string, policy: ScanPolicy, judgement: ScanJudgement): string {
  const { critical, high, counted, expired } = judgement;
  const lines = [
    `${image} is over its scan budget: ${critical} CRITICAL (at most ${policy.maxCritical}), ${high} HIGH (at most ${policy.maxHigh}); nothing was deployed.`,
    ...counted
      .slice(0, SHOWN_FINDINGS)
      .map((finding) => `• ${finding.id} ${finding.severity}${finding.package ? ` in ${finding.package}` : ''}`),
  ];
  if (counted.length > SHOWN_FINDINGS) lines.push(`… and ${counted.length - SHOWN_FINDINGS} more`);
  if (expired.length > 0) lines.push(`Allow entries past their date count again: ${expired.join(', ')}.`);
  return lines.join('\n');
}
