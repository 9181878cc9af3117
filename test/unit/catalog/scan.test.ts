import { describe, expect, it } from '@jest/globals';
import { CatalogError, parseCatalog } from '../../../src/catalog/load.ts';
import { allowExpiry, describeScanGate, scanSchema } from '../../../src/catalog/scan.ts';

// The catalog's `scan` block: budgets, allow entries and their dates, hotfix bypass.

const catalog = (scan: string) => `
services:
  web:
    environments:
      staging:
        cluster: sandbox
        service: web
        container: web
        repository: demo/web
        slackChannel: "#releases"
${scan}`;

const problemsOf = (text: string) => {
  try {
    parseCatalog(text, 'catalog.yml', {});
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected a CatalogError');
};

const SCAN = 'services.web.environments.staging.scan';

describe('the catalog scan block', () => {
  it('gates nothing when absent, as before the gate', () => {
    const parsed = parseCatalog(catalog(''), 'catalog.yml', {});
    expect(parsed.services.web?.environments.staging?.scan).toBeUndefined();
  });

  it('defaults to no CRITICAL, no HIGH, no allow entries, no hotfix bypass', () => {
    const parsed = parseCatalog(catalog('        scan: {}'), 'catalog.yml', {});
    expect(parsed.services.web?.environments.staging?.scan).toEqual({
      maxCritical: 0,
      maxHigh: 0,
      allow: [],
      hotfixBypass: false,
      waitSeconds: 10,
    });
  });

  it('reads budgets and allow entries by date or instant', () => {
    const parsed = parseCatalog(
      catalog(`        scan:
          maxHigh: 3
          hotfixBypass: true
          allow:
            - { id: CVE-2026-10001, until: 2027-01-31, reason: "not reachable: no TLS in the app" }
            - { id: GHSA-abcd-1234-wxyz, until: "2027-01-31T12:00:00+01:00", reason: "fix pending upstream" }`),
      'catalog.yml',
      {},
    );
    expect(parsed.services.web?.environments.staging?.scan).toMatchObject({
      maxCritical: 0,
      maxHigh: 3,
      hotfixBypass: true,
      allow: [{ id: 'CVE-2026-10001', until: '2027-01-31' }, { id: 'GHSA-abcd-1234-wxyz' }],
    });
  });

  it('names each bad field with a clear message', () => {
    const problems = problemsOf(
      catalog(`        scan:
          maxCritical: -1
          maxHigh: 1.5
          waitSeconds: 600
          extra: true
          allow:
            - { id: CVE-2026-10001, until: next week, reason: later }
            - { id: CVE-2026-10002, until: 2027-02-30, reason: again }
            - { id: "not an id!", until: 2027-01-01, reason: "  " }`),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: `${SCAN}.maxCritical`, message: 'cannot be negative' },
        { path: `${SCAN}.maxHigh`, message: 'must be a whole number' },
        expect.objectContaining({ path: `${SCAN}.waitSeconds` }),
        expect.objectContaining({ path: SCAN, message: expect.stringContaining('extra') }),
        {
          path: `${SCAN}.allow.0.until`,
          message: 'must be a date (YYYY-MM-DD, allowed through that day, UTC) or an ISO 8601 instant with its offset',
        },
        expect.objectContaining({ path: `${SCAN}.allow.1.until` }),
        { path: `${SCAN}.allow.2.id`, message: 'must be a finding id such as CVE-2024-3094' },
        { path: `${SCAN}.allow.2.reason`, message: 'must say why the finding is accepted' },
      ]),
    );
  });

  it('refuses an allow entry listed twice', () => {
    const problems = problemsOf(
      catalog(`        scan:
          allow:
            - { id: CVE-2026-10001, until: 2027-01-01, reason: first }
            - { id: CVE-2026-10001, until: 2027-06-01, reason: again }`),
    );
    expect(problems).toEqual([{ path: `${SCAN}.allow.1.id`, message: 'CVE-2026-10001 is listed twice' }]);
  });

  it('lets a date allow through its whole day, UTC, and an instant until then', () => {
    expect(allowExpiry('2027-01-31').toISOString()).toBe('2027-02-01T00:00:00.000Z');
    expect(allowExpiry('2027-01-31T12:00:00+01:00').toISOString()).toBe('2027-01-31T11:00:00.000Z');
  });

  it('describes the gate for npm run catalog', () => {
    const scan = scanSchema.parse({
      maxHigh: 2,
      hotfixBypass: true,
      allow: [{ id: 'CVE-2026-10001', until: '2027-01-31', reason: 'not reachable' }],
    });
    expect(describeScanGate(scan)).toBe(
      'scan gate: at most 0 CRITICAL, 2 HIGH; allows CVE-2026-10001 until 2027-01-31; hotfixes bypass it',
    );
  });
});
