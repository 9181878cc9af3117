import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { checkedCatalogSchema } from './catalog-checks.ts';
import { interpolate, MissingVariableError, PlaceholderInKeyError } from './interpolate.ts';
import { type Catalog, RESERVED_NAME_MESSAGE } from './schema.ts';

/** A catalog that cannot be used, with the file, the path inside it and the problem. */
export class CatalogError extends Error {
  override name = 'CatalogError';
  readonly file: string;
  readonly problems: readonly { path: string; message: string }[];
  constructor(file: string, problems: readonly { path: string; message: string }[], options?: ErrorOptions) {
    super(
      `invalid service catalog ${file}:\n${problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n')}`,
      options,
    );
    this.file = file;
    this.problems = problems;
  }
}

/** Parses, interpolates and validates catalog text; `file` only names it in errors. */
export function parseCatalog(text: string, file: string, env: Readonly<Record<string, string | undefined>>): Catalog {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new CatalogError(file, [{ path: '', message: `not valid YAML: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  // Read before the schema, which (like any plain object) would let the key vanish.
  const reserved = protoKeyPaths(document);
  if (reserved.length > 0) {
    throw new CatalogError(
      file,
      reserved.map((path) => ({ path, message: `name "__proto__" ${RESERVED_NAME_MESSAGE}` })),
    );
  }
  let resolved: unknown;
  try {
    resolved = interpolate(document, env);
  } catch (error) {
    if (error instanceof MissingVariableError || error instanceof PlaceholderInKeyError) {
      throw new CatalogError(file, [{ path: error.path, message: error.message }], { cause: error });
    }
    throw error;
  }
  const result = checkedCatalogSchema.safeParse(resolved);
  if (!result.success) {
    throw new CatalogError(file, result.error.issues.flatMap(describeIssue));
  }
  return result.data;
}

// YAML and JSON read a `__proto__:` key as an own key; the schema's records,
// like any assignment to a plain object, would drop it without a word.
function protoKeyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => protoKeyPaths(item, `${path}.${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path ? `${path}.${key}` : key;
    return key === '__proto__' ? [at] : protoKeyPaths(item, at);
  });
}

type Issue = { path: PropertyKey[]; message: string; code?: string; key?: unknown; issues?: Issue[] };

// zod reports a bad record key as one "Invalid key" issue holding the key's own
// issues; name the key and say what is wrong with it.
function describeIssue(issue: Issue): { path: string; message: string }[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'invalid_key' && issue.issues?.length) {
    return issue.issues.map((inner) => ({
      path,
      message: `name "${String(issue.key ?? issue.path.at(-1))}" ${inner.message}`,
    }));
  }
  return [{ path, message: issue.message }];
}

/** Reads and validates a catalog file (YAML or JSON). */
export function loadCatalogFile(file: string, env: Readonly<Record<string, string | undefined>>): Catalog {
  return parseCatalog(readFileSync(file, 'utf8'), file, env);
}
