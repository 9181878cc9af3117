/** Raised when the catalog names a variable the environment does not have. */
export class MissingVariableError extends Error {
  override name = 'MissingVariableError';
  readonly variable: string;
  readonly path: string;
  constructor(variable: string, path: string) {
    super(`\${${variable}} is not set in the environment (use \${${variable}:-default} for a default)`);
    this.variable = variable;
    this.path = path;
  }
}

/** Raised when a mapping key (a name) holds a `${VAR}`: names are never interpolated. */
export class PlaceholderInKeyError extends Error {
  override name = 'PlaceholderInKeyError';
  readonly path: string;
  constructor(key: string, path: string) {
    super(
      `the name "${key}" holds a \${...}: names (mapping keys) are not interpolated, only values are; write the name itself`,
    );
    this.path = path;
  }
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string value of a parsed document;
 * `$${` escapes a literal `${`. A variable that is unset and has no default throws,
 * and so does a `${` in a mapping key: keys are names, never interpolated.
 */
export function interpolate(value: unknown, env: Readonly<Record<string, string | undefined>>, path = ''): unknown {
  if (typeof value === 'string') {
    return value
      .split('$${')
      .map((part) =>
        part.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
          const found = env[name];
          if (found !== undefined && found !== '') return found;
          if (fallback !== undefined) return fallback;
          throw new MissingVariableError(name, path);
        }),
      )
      .join('${');
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const at = path ? `${path}.${key}` : key;
        // A name decides the release id, the lock and the IAM scope: it is spelled out, never read from the build.
        if (key.includes('${')) throw new PlaceholderInKeyError(key, at);
        return [key, interpolate(item, env, at)];
      }),
    );
  }
  return value;
}
