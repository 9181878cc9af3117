import type { TagFilter } from '../catalog/schema.ts';

/**
 * Whether an environment's tag filter releases a tag. No filter releases every
 * tag; with both a prefix and a pattern, both must match. The pattern is a
 * search (like `RegExp.test`), so a filter that wants the whole tag anchors it.
 */
export function acceptsTag(filter: TagFilter | undefined, tag: string): boolean {
  if (filter === undefined) return true;
  if (filter.prefix !== undefined && !tag.startsWith(filter.prefix)) return false;
  if (filter.pattern !== undefined && !new RegExp(filter.pattern).test(tag)) return false;
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
