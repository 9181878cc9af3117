import { describe, expect, it } from '@jest/globals';
import { acceptsTag, describeTagFilter } from '../../../src/domain/tag-filter.ts';

describe('acceptsTag', () => {
  it('releases every tag when the environment has no filter', () => {
    expect(acceptsTag(undefined, 'anything-at-all')).toBe(true);
  });

  it('releases only tags with the prefix', () => {
    expect(acceptsTag({ prefix: 'v' }, 'v1.2.3')).toBe(true);
    expect(acceptsTag({ prefix: 'v' }, 'latest')).toBe(false);
  });

  it('searches with the pattern, so an anchored pattern matches whole tags only', () => {
    expect(acceptsTag({ pattern: 'rc' }, 'v1.0.0-rc1')).toBe(true);
    expect(acceptsTag({ pattern: '^v\\d+\\.\\d+\\.\\d+$' }, 'v1.0.0')).toBe(true);
    expect(acceptsTag({ pattern: '^v\\d+\\.\\d+\\.\\d+$' }, 'v1.0.0-rc1')).toBe(false);
  });

  it('needs both the prefix and the pattern when both are set', () => {
    const filter = { prefix: 'release-', pattern: '\\d{4}$' };
    expect(acceptsTag(filter, 'release-2026')).toBe(true);
    expect(acceptsTag(filter, 'hotfix-2026')).toBe(false);
    expect(acceptsTag(filter, 'release-next')).toBe(false);
  });
});

describe('describeTagFilter', () => {
  it('names the filter as the catalog spells it', () => {
    expect(describeTagFilter({ prefix: 'v', pattern: '^v\\d+$' })).toBe('prefix "v" and pattern /^v\\d+$/');
    expect(describeTagFilter(undefined)).toBe('every tag');
  });
});
