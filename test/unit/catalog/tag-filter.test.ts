import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { RE2JS } from 're2js';
import { acceptsTag, describeTagFilter, tagPatternProblem } from '../../../src/catalog/tag-filter.ts';

/** acceptsTag in a worker thread, stopped after `boundMs` (then undefined): a runaway match cannot hang the tests. */
async function acceptsTagWithin(boundMs: number, pattern: string, tag: string): Promise<boolean | undefined> {
  const module = new URL('../../../src/catalog/tag-filter.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(module)}).then(({ acceptsTag }) =>
      require('node:worker_threads').parentPort.postMessage(acceptsTag({ pattern: ${JSON.stringify(pattern)} }, ${JSON.stringify(tag)})));`,
    { eval: true },
  );
  let bound: NodeJS.Timeout | undefined;
  try {
    return await new Promise<boolean | undefined>((resolve, reject) => {
      worker.once('message', (accepted: boolean) => resolve(accepted));
      worker.once('error', reject);
      bound = setTimeout(() => resolve(undefined), boundMs);
    });
  } finally {
    clearTimeout(bound);
    await worker.terminate();
  }
}

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
    const compiles = jest.spyOn(RE2JS, 'compile');

    const accepted = ['build-1', 'build-x', 'build-22', 'nightly', 'build-333'].map((tag) =>
      acceptsTag({ pattern }, tag),
    );

    expect(accepted).toEqual([true, false, true, false, true]);
    expect(compiles.mock.calls.filter(([source]) => source === pattern)).toHaveLength(1);
  });

  it('matches in time linear in the tag, also with a pattern that backtracks catastrophically in JavaScript', async () => {
    // A backtracking engine takes 2^n steps for ^(a+)+$ on n a's and a mismatch:
    // 5 s at 26 characters, days at 48. RE2 answers at once; the bound only keeps
    // a broken engine from hanging the tests.
    const tag = `${'a'.repeat(48)}!`;
    expect(await acceptsTagWithin(20_000, '^(a+)+$', tag)).toBe(false);
    expect(await acceptsTagWithin(20_000, '^(a+)+$', 'a'.repeat(48))).toBe(true);
  });
});

describe('tagPatternProblem', () => {
  it("gives the engine's reason for a pattern it cannot use, and nothing for one it can", () => {
    expect(tagPatternProblem('^v\\d+$')).toBeUndefined();
    expect(tagPatternProblem('v(')).toBe('error parsing regexp: missing closing ): `v(`');
    expect(tagPatternProblem('^v(?!.*-rc)')).toMatch(/invalid or unsupported Perl syntax/);
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
