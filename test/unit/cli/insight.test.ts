import { describe, expect, it } from '@jest/globals';
import { csvField, formatAudit, parseSince } from '../../../src/cli/insight.ts';
import { UsageError } from '../../../src/cli/usage.ts';
import type { LedgerEvent } from '../../../src/insight/index.ts';

const event = (detail: Record<string, unknown>, by = 'U0APPROVER'): LedgerEvent => ({
  target: 'web#production',
  key: '2026-11-21T10:02:00.000Z#r1#approved#ap-1',
  kind: 'approved',
  at: '2026-11-21T10:02:00.000Z',
  releaseId: 'r1',
  service: 'web',
  environment: 'production',
  by,
  detail,
});

/** A minimal RFC 4180 reader: enough to prove the writer's quoting round-trips. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      rows.at(-1)?.push(field);
      field = '';
    } else if (c === '\n') {
      rows.at(-1)?.push(field);
      field = '';
      rows.push([]);
    } else field += c;
  }
  rows.at(-1)?.push(field);
  return rows;
}

describe('release audit', () => {
  it('writes one parseable JSON object a line', () => {
    const lines = formatAudit([event({ approvalId: 'ap-1' }), event({ reason: 'a\nb' })], 'jsonl').split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({
      kind: 'approved',
      by: 'U0APPROVER',
      detail: { reason: 'a\nb' },
    });
  });

  it('writes CSV whose commas, quotes and line breaks survive a reader', () => {
    const tricky = event({ reason: 'said "no", then\nleft' }, 'U0, "quoted"');
    const rows = readCsv(formatAudit([tricky], 'csv'));
    expect(rows[0]).toEqual(['at', 'target', 'service', 'environment', 'releaseId', 'kind', 'by', 'key', 'detail']);
    expect(rows[1]?.[6]).toBe('U0, "quoted"');
    expect(JSON.parse(rows[1]?.[8] ?? '')).toEqual({ reason: 'said "no", then\nleft' });
    expect(csvField('plain')).toBe('plain');
  });

  it('refuses another format', () => {
    expect(() => formatAudit([], 'xml')).toThrow(UsageError);
  });
});

describe('--since', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it('takes days, hours, weeks or a past date', () => {
    expect(parseSince(undefined, now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseSince('12h', now).toISOString()).toBe('2026-11-30T12:00:00.000Z');
    expect(parseSince('1w', now).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(parseSince('2026-11-15', now).toISOString()).toBe('2026-11-15T00:00:00.000Z');
  });
  it('refuses anything else', () => {
    for (const bad of ['0d', '30', 'yesterday', '2027-01-01']) expect(() => parseSince(bad, now)).toThrow(UsageError);
  });
});
