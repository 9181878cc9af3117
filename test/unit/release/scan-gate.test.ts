import { describe, expect, it } from '@jest/globals';
import { scanSchema } from '../../../src/catalog/scan.ts';
import type { ImageScan, ScanFinding, ScanFindingsPort } from '../../../src/release/ports/scan-findings.ts';
import { judgeFindings } from '../../../src/release/scan-budget.ts';
import { scanGate } from '../../../src/release/scan-gate.ts';

// The scan gate's rules: budgets, allow entries until their date (an injected
// clock), the wait for a scan in progress, the hotfix bypass, a bounded reason.

const NOW = new Date('2026-12-06T12:00:00Z');
const policy = (input: Record<string, unknown> = {}) => scanSchema.parse(input);
const crit = (n: number, pkg = 'openssl'): ScanFinding => ({
  id: `CVE-2026-1000${n}`,
  severity: 'CRITICAL',
  package: pkg,
});
const high = (n: number): ScanFinding => ({ id: `CVE-2026-2000${n}`, severity: 'HIGH' });
const complete = (findings: ScanFinding[]): ImageScan => ({
  status: 'COMPLETE',
  findings,
  severityCounts: { CRITICAL: findings.filter((f) => f.severity === 'CRITICAL').length },
});
const scans = (...answers: ImageScan[]): Pick<ScanFindingsPort, 'readScan'> & { calls: number } => {
  const port = {
    calls: 0,
    async readScan() {
      const answer = answers[Math.min(port.calls, answers.length - 1)];
      port.calls += 1;
      if (answer === undefined) throw new Error('no answer scripted');
      return answer;
    },
  };
  return port;
};
const ask = (overrides: Partial<Parameters<typeof scanGate>[0]> = {}) => ({
  policy: policy(),
  repository: 'demo/web',
  digest: 'sha256:abc',
  image: 'demo/web:v2-crit1 (sha256:abc)',
  hotfix: false,
  ...overrides,
});

describe('judging findings against a budget', () => {
  it('counts CRITICAL and HIGH findings against their budgets, nothing else', () => {
    const findings: ScanFinding[] = [high(1), crit(1), { id: 'CVE-2026-30001', severity: 'MEDIUM' }];
    expect(judgeFindings(policy(), findings, NOW)).toMatchObject({ withinBudget: false, critical: 1, high: 1 });
    expect(judgeFindings(policy({ maxCritical: 1, maxHigh: 1 }), findings, NOW).withinBudget).toBe(true);
    expect(judgeFindings(policy(), [{ id: 'CVE-2026-30001', severity: 'MEDIUM' }], NOW).withinBudget).toBe(true);
  });

  it('excuses a finding an allow entry names until its date, and counts it again after', () => {
    const allow = [{ id: 'CVE-2026-10001', until: '2026-12-06', reason: 'not reachable' }];
    const today = judgeFindings(policy({ allow }), [crit(1)], NOW);
    expect(today).toMatchObject({ withinBudget: true, critical: 0, allowed: ['CVE-2026-10001'], expired: [] });
    const tomorrow = judgeFindings(policy({ allow }), [crit(1)], new Date('2026-12-07T00:00:00Z'));
    expect(tomorrow).toMatchObject({ withinBudget: false, critical: 1, allowed: [], expired: ['CVE-2026-10001'] });
  });

  it('lists the counted findings worst first', () => {
    const judged = judgeFindings(policy(), [high(1), crit(2), high(2), crit(1)], NOW);
    expect(judged.counted.map((finding) => finding.severity)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH']);
  });
});

describe('the scan gate', () => {
  it('lets anything through where the environment has no scan block, reading nothing', async () => {
    const port = scans(complete([crit(1)]));
    await expect(scanGate(ask({ policy: undefined }), { scans: port, now: () => NOW })).resolves.toEqual({});
    expect(port.calls).toBe(0);
  });

  it('refuses an over-budget image with the worst findings, a line each, bounded', async () => {
    const findings = [1, 2, 3, 4, 5, 6, 7].map((n) => crit(n));
    const result = await scanGate(ask(), { scans: scans(complete(findings)), now: () => NOW });
    if (result.refused === undefined) throw new Error('expected a refusal');
    const lines = result.refused.split('\n');
    expect(lines[0]).toBe(
      'demo/web:v2-crit1 (sha256:abc) is over its scan budget: 7 CRITICAL (at most 0), 0 HIGH (at most 0); nothing was deployed.',
    );
    expect(lines[1]).toBe('• CVE-2026-10001 CRITICAL in openssl');
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe('… and 2 more');
  });

  it('releases an allowed finding and records the counts and what was allowed', async () => {
    const allow = [{ id: 'CVE-2026-10001', until: '2027-01-01', reason: 'not reachable' }];
    const result = await scanGate(ask({ policy: policy({ allow }) }), {
      scans: scans(complete([crit(1)])),
      now: () => NOW,
    });
    expect(result).toEqual({
      summary: {
        status: 'COMPLETE',
        severityCounts: { CRITICAL: 1 },
        counted: { critical: 0, high: 0 },
        allowed: ['CVE-2026-10001'],
      },
    });
  });

  it('waits for a scan in progress, and refuses one still running after waitSeconds', async () => {
    const port = scans({ status: 'IN_PROGRESS' }, complete([]));
    const done = await scanGate(ask({ waitSeconds: 3 }), { scans: port, now: () => NOW });
    expect(done.summary?.status).toBe('COMPLETE');
    expect(port.calls).toBe(2);
    const running = await scanGate(ask({ waitSeconds: 0 }), {
      scans: scans({ status: 'IN_PROGRESS' }),
      now: () => NOW,
    });
    expect(running.refused).toContain('its scan was still in progress after 0 s');
  });

  it('refuses an image never scanned, or whose scan failed', async () => {
    const never = await scanGate(ask(), { scans: scans({ status: 'NOT_SCANNED' }), now: () => NOW });
    expect(never.refused).toContain('it was never scanned; turn on scan on push');
    const failed = await scanGate(ask(), {
      scans: scans({ status: 'FAILED', description: 'UNSUPPORTED_IMAGE: not a supported OS' }),
      now: () => NOW,
    });
    expect(failed.refused).toContain('its scan failed (UNSUPPORTED_IMAGE: not a supported OS)');
  });

  it('lets a hotfix through only where the catalog allows the bypass, and says so', async () => {
    const over = scans(complete([crit(1)]));
    const refused = await scanGate(ask({ hotfix: true }), { scans: over, now: () => NOW });
    expect(refused.refused).toContain('over its scan budget');
    const bypassed = await scanGate(ask({ hotfix: true, policy: policy({ hotfixBypass: true }) }), {
      scans: over,
      now: () => NOW,
    });
    expect(bypassed).toEqual({
      summary: {
        status: 'COMPLETE',
        severityCounts: { CRITICAL: 1 },
        counted: { critical: 1, high: 0 },
        hotfixBypass: true,
      },
    });
    const unscanned = await scanGate(ask({ hotfix: true, policy: policy({ hotfixBypass: true }) }), {
      scans: scans({ status: 'NOT_SCANNED' }),
      now: () => NOW,
    });
    expect(unscanned.summary).toMatchObject({ status: 'NOT_SCANNED', hotfixBypass: true });
    const notHotfix = await scanGate(ask({ policy: policy({ hotfixBypass: true }) }), { scans: over, now: () => NOW });
    expect(notHotfix.refused).toContain('over its scan budget');
  });
});
