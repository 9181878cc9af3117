import type { InputReader } from './input-reader.ts';

/** Key-value tags in ECS's and ECR's `{ key, value }` shape, at most 50. */
export function readTags(reader: InputReader, name = 'tags'): { key: string; value: string }[] {
  const tags = reader
    .objects(name)
    .map((tag) => ({ key: tag.string('key'), value: tag.optionalString('value') ?? '' }));
  if (tags.length > 50) reader.fail(`${reader.path(name)} can have at most 50 tags.`);
  return tags;
}
