import { RE2JS } from 're2js';
import type { TagFilter } from './schema.ts';

// Patterns run in RE2 (re2js, a pure-JS port), whose matching time grows
// linearly with the tag whatever the pattern: with JavaScript's backtracking
// RegExp, `^(a+)+$` took seconds on a 26-character tag inside Plan. RE2 has no
// lookaround or backreferences; the catalog check refuses those with RE2's
// reason. A catalog has a few fixed patterns and every push is tested against
// them: each is compiled once (a compiled RE2JS keeps no state between tests).
const compiledPatterns = new Map<string, RE2JS>();

function compiled(pattern: string): RE2JS {
  let regExp = compiledPatterns.get(pattern);
  if (regExp === undefined) {
    regExp = RE2JS.compile(pattern);
    compiledPatterns.set(pattern, regExp);
  }
  return regExp;
}

/** Why a tag pattern cannot be used (the RE2 engine's own message), or undefined when it can. */
export function tagPatternProblem(pattern: string): string | undefined {
  try {
    compiled(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Whether an environment's tag filter releases a tag. No filter releases every
 * tag; with both a prefix and a pattern, both must match. The pattern is a
 * search (like `RegExp.test`), so a filter that wants the whole tag anchors it.
 * A pattern is RE2 syntax; the catalog check has refused any RE2 cannot compile.
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
