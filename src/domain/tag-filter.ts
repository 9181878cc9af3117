import type { TagFilter } from '../catalog/schema.ts';

// A catalog has a few fixed patterns and every push is tested against them:
// each is compiled once. Without the `g` or `y` flag a RegExp keeps no state
// between tests, so one instance can serve every call.
const compiledPatterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regExp = compiledPatterns.get(pattern);
  if (regExp === undefined) {
    regExp = new RegExp(pattern);
    compiledPatterns.set(pattern, regExp);
  }
  return regExp;
}

/**
 * Whether an environment's tag filter releases a tag. No filter releases every
 * tag; with both a prefix and a pattern, both must match. The pattern is a
 * search (like `RegExp.test`), so a filter that wants the whole tag anchors it.
 */
export function acceptsTag(filter: TagFilter | undefined, tag: string): boolean {
  if (filter === undefined) return true;
  if (filter.prefix !== undefined && !tag.startsWith(filter.prefix)) return false;
  if (filter.pattern !== undefined && !compiled(filter.pattern).test(tag)) return false;
  return true;
}

/** A tag filter as the catalog spells it, for messages: `prefix "v" and pattern /^v\d+$/`. */
export function describeTagFilter(filter: TagFilter | undefined): string {
  if (filter === undefined) return 'every tag';
  const parts = [
    ...(filter.prefix !== undefined ? [`prefix "${filter.prefix}"`] : []),
    ...(filter.pattern !== undefined ? [`pattern /${filter.pattern}/`] : []),
  ];
  return parts.join(' and ');
}
