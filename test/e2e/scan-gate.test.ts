import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { revisionCount } from '../../scripts/lib/ecs-state.ts';
import { probe, releaseImage, tagOf } from '../../scripts/lib/releases.ts';
import { E2E_TIME_FACTOR, useReleaseSandbox } from './support/e2e.ts';

// The scan gate end to end: the sandbox's ECR scans each push (a `-crit1` tag
// has one CRITICAL finding, CVE-2026-10001). Under the shipped catalog (web
// staging: no CRITICAL allowed) such a push is refused before anything is
// touched, and Slack is told why; under a catalog whose allow entry excuses
// that finding, the same tag is released, its record keeping the counts.

describe('a push whose scan has a CRITICAL finding', () => {
  const rs = useReleaseSandbox();

  it('is refused: no task definition registered, Slack told which finding', async () => {
    const revisionsBefore = await revisionCount(rs.ecs, 'web');
    const refused = await releaseImage(rs.target, 'demo/web', 'v2-crit1');
    expect(refused.status).toBe('FAILED');
    expect(await revisionCount(rs.ecs, 'web')).toBe(revisionsBefore);
    const told = rs.sandbox.slack.messages().find((message) => /over its scan budget/.test(message.text ?? ''));
    expect(told).toBeDefined();
    expect(told?.text).toContain('1 CRITICAL (at most 0)');
    expect(told?.text).toContain('CVE-2026-10001 CRITICAL');
    expect((await probe(rs.lbUrl(), 2)).map((answer) => tagOf(answer.image))).toEqual(['v1', 'v1']);
  }, 60_000);

  it('a clean tag is released, its record keeping the scan', async () => {
    const released = await releaseImage(rs.target, 'demo/web', 'v3');
    expect(released.outcomes[0]?.outcome).toBe('SUCCEEDED');
    const [record] = await rs.target.releases.listReleases({ service: 'web', environment: 'staging', limit: 1 });
    expect(record?.scan).toEqual({ status: 'COMPLETE', severityCounts: {}, counted: { critical: 0, high: 0 } });
  }, 60_000);
});

describe('the same tag with an unexpired allow entry', () => {
  const rs = useReleaseSandbox({
    timeFactor: E2E_TIME_FACTOR,
    environment: {
      RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/scan-allow.yml', import.meta.url)),
    },
  });

  it('is released, and the record says which finding was allowed', async () => {
    const revisionsBefore = await revisionCount(rs.ecs, 'web');
    const released = await releaseImage(rs.target, 'demo/web', 'v2-crit1');
    expect(released.outcomes[0]?.outcome).toBe('SUCCEEDED');
    expect(await revisionCount(rs.ecs, 'web')).toBe(revisionsBefore + 1);
    expect((await probe(rs.lbUrl(), 2)).map((answer) => tagOf(answer.image))).toEqual(['v2-crit1', 'v2-crit1']);
    const [record] = await rs.target.releases.listReleases({ service: 'web', environment: 'staging', limit: 1 });
    expect(record?.scan).toEqual({
      status: 'COMPLETE',
      severityCounts: { CRITICAL: 1 },
      counted: { critical: 0, high: 0 },
      allowed: ['CVE-2026-10001'],
    });
  }, 60_000);
});
