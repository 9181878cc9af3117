import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tagPatternProblem } from '../domain/tag-filter.ts';
import { interpolate, MissingVariableError, PlaceholderInKeyError } from './interpolate.ts';
import { type Catalog, catalogSchema } from './schema.ts';

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
  let resolved: unknown;
  try {
    resolved = interpolate(document, env);
  } catch (error) {
    if (error instanceof MissingVariableError || error instanceof PlaceholderInKeyError) {
      throw new CatalogError(file, [{ path: error.path, message: error.message }], { cause: error });
    }
    throw error;
  }
  const result = validCatalogSchema.safeParse(resolved);
  if (!result.success) {
    throw new CatalogError(file, result.error.issues.flatMap(describeIssue));
  }
  return result.data;
}

// Tag patterns are checked by the engine that matches them (RE2, see
// src/domain/tag-filter.ts) here rather than in the schema, which most
// functions bundle for its smoke checks without ever matching a tag.
const validCatalogSchema = catalogSchema.superRefine(({ services }, context) => {
  for (const [service, { environments }] of Object.entries(services)) {
    for (const [environment, { tagFilter }] of Object.entries(environments)) {
      const problem = tagFilter?.pattern === undefined ? undefined : tagPatternProblem(tagFilter.pattern);
      if (problem === undefined) continue;
      context.addIssue({
        code: 'custom',
        path: ['services', service, 'environments', environment, 'tagFilter', 'pattern'],
        message: `is not a regular expression the tag filter can use (RE2 syntax: no lookaround or backreferences): ${problem}`,
      });
    }
  }
});

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
