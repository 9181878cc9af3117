import { describe, expect, it } from '@jest/globals';
import { isOneOf, principalsFor, twoPersonRuleHolds } from '../../../src/approvals/authorization.ts';
import { parseChatCommand } from '../../../src/slack/command.ts';
import { checkSlackSignature, slackSignature } from '../../../src/slack/signature.ts';

describe('parseChatCommand', () => {
  it.each([
    ['approve abcdefgh', { kind: 'approve', approvalId: 'abcdefgh' }],
    ['  REJECT abcdefgh   not   today ', { kind: 'reject', approvalId: 'abcdefgh', reason: 'not today' }],
    ['status', { kind: 'status' }],
    ['status web', { kind: 'status', service: 'web' }],
    ['history web', { kind: 'history', service: 'web' }],
    ['deploy web v1.2.3', { kind: 'deploy', service: 'web', tag: 'v1.2.3', hotfix: false }],
    [
      'deploy --hotfix web v2 production',
      { kind: 'deploy', service: 'web', tag: 'v2', environment: 'production', hotfix: true },
    ],
    ['rollback web staging', { kind: 'rollback', service: 'web', environment: 'staging' }],
    ['promote shop', { kind: 'promote', service: 'shop' }],
    ['abort shop staging', { kind: 'abort', service: 'shop', environment: 'staging' }],
    ['rotate /app/db', { kind: 'rotate', secret: '/app/db' }],
    ['', { kind: 'help' }],
  ])('reads "%s"', (text, command) => {
    expect(parseChatCommand(text)).toEqual(command);
  });

  it.each([
    ['approve', /^Usage/],
    ['approve a b', /^Usage/],
    ['deploy web', /^Usage/],
    ['deploy web v1 staging extra', /^Usage/],
    ['deploy web v1 --canary', /^Unknown option/],
    ['rollback <@U123>', /not a service or environment name/],
    ['status a b', /^Usage/],
    ['launch web', /^Unknown command `launch`/],
  ])('refuses "%s" with a clear reason', (text, message) => {
    const parsed = parseChatCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.message).toMatch(message);
  });

  it('echoes no mention or link markup from what was typed', () => {
    const parsed = parseChatCommand('<!channel> now');
    expect(parsed.kind === 'invalid' && parsed.message).not.toMatch(/[<>]/);
  });
});

describe('authorization rules', () => {
  const rights = { approvers: ['U1', 'S9'], permissions: { deploy: ['U2'] } };
  const groups = { groupMembers: async (group: string) => (group === 'S9' ? ['U3'] : []) };

  it('takes approvers for approvals and for what permissions do not name', () => {
    expect(principalsFor('approve', rights)).toEqual(['U1', 'S9']);
    expect(principalsFor('deploy', rights)).toEqual(['U2']);
    expect(principalsFor('rollback', rights)).toEqual(['U1', 'S9']);
  });

  it('finds users directly and through user groups', async () => {
    expect(await isOneOf('U1', rights.approvers, groups)).toBe(true);
    expect(await isOneOf('U3', rights.approvers, groups)).toBe(true);
    expect(await isOneOf('U4', rights.approvers, groups)).toBe(false);
  });

  it('holds the two-person rule for production unless the catalog says otherwise', () => {
    expect(twoPersonRuleHolds('production', rights)).toBe(true);
    expect(twoPersonRuleHolds('staging', rights)).toBe(false);
    expect(twoPersonRuleHolds('production', { ...rights, twoPersonRule: false })).toBe(false);
    expect(twoPersonRuleHolds('staging', { ...rights, twoPersonRule: true })).toBe(true);
  });
});

describe('checkSlackSignature', () => {
  const now = new Date('2026-12-02T00:00:00Z');
  const ts = String(now.getTime() / 1000);
  const body = 'text=help&user_id=U1';
  const signature = `v0=${slackSignature(body, ts, 'secret')}`;

  it('accepts Slack’s signature at the edges of the window and refuses beyond', () => {
    expect(checkSlackSignature(body, { timestamp: ts, signature }, 'secret', now)).toBeUndefined();
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(checkSlackSignature(body, { timestamp: ts, signature }, 'secret', at(300))).toBeUndefined();
    expect(checkSlackSignature(body, { timestamp: ts, signature }, 'secret', at(301))).toBe('stale timestamp');
    expect(checkSlackSignature(body, { timestamp: ts, signature }, 'secret', at(-301))).toBe('stale timestamp');
  });

  it('refuses other secrets, other bodies, odd timestamps and missing headers', () => {
    expect(checkSlackSignature(body, { timestamp: ts, signature }, 'other', now)).toBe('bad signature');
    expect(checkSlackSignature(`${body}x`, { timestamp: ts, signature }, 'secret', now)).toBe('bad signature');
    expect(checkSlackSignature(body, { timestamp: `${ts}.0`, signature }, 'secret', now)).toBe('stale timestamp');
    expect(checkSlackSignature(body, { signature }, 'secret', now)).toBe('missing headers');
    expect(checkSlackSignature(body, { timestamp: ts }, 'secret', now)).toBe('missing headers');
  });
});
