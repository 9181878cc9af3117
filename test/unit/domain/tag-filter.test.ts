import { afterEach, describe, expect, it, jest } from '@jest/globals';
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

  it('compiles a pattern once, however many tags it is tested against', () => {
    const pattern = '^build-\\d+$';
    const compiles = jest.spyOn(globalThis, 'RegExp');

    const accepted = ['build-1', 'build-x', 'build-22', 'nightly', 'build-333'].map((tag) =>
      acceptsTag({ pattern }, tag),
    );

    expect(accepted).toEqual([true, false, true, false, true]);
    expect(compiles.mock.calls.filter(([source]) => source === pattern)).toHaveLength(1);
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('describeTagFilter', () => {
  it('names the filter as the catalog spells it', () => {
    expect(describeTagFilter({ prefix: 'v', pattern: '^v\\d+$' })).toBe('prefix "v" and pattern /^v\\d+$/');
    expect(describeTagFilter(undefined)).toBe('every tag');
  });
});
