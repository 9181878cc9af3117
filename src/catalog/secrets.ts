import * as z from 'zod';
import { slackPrincipalSchema } from './slack-principal.ts';

// `secrets:` in the catalog: the SSM parameters that rotate on a schedule, what
// kind of value each holds, how a new value is made and where it is applied.

export const SECRET_TYPES = ['password', 'jwt-signing-key', 'api-key', 'postgres-credentials'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

/** Whether a type's value is characters drawn from an alphabet (else random bytes, base64url). */
export const isCharacterSecret = (type: SecretType): boolean => type === 'password' || type === 'postgres-credentials';

// Letters and digits: safe unquoted in connection strings, URLs and shells; 32 of them carry 190 bits.
export const DEFAULT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const DEFAULT_LENGTH = 32;
export const DEFAULT_KEY_BYTES = 64;
// Below this a generated value is guessable in principle; the catalog refuses it.
const MIN_ENTROPY_BITS = 128;

// SSM's own rules: letters, digits and . - _ /, at most 1011 characters, no
// aws/ssm prefix. The leading "/" is ours: the pending parameter's name is
// derived by prefixing the hierarchy (src/rotation/rotation.ts).
const parameterName = z
  .string()
  .max(1011)
  .regex(/^\/[A-Za-z0-9_.\-/]+$/, {
    message: 'must be a fully qualified SSM parameter name: "/" then letters, digits, ".", "-", "_" and "/"',
  })
  .refine((name) => !/^\/?(aws|ssm)/i.test(name), { message: 'may not start with "aws" or "ssm" (SSM reserves them)' });

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,\-/#L]+$/;

/** Why `expression` is not a schedule EventBridge accepts, or undefined when it is. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const [, value = '0', unit = ''] = rate;
    const count = Number(value);
    if (count < 1) return 'a rate must be at least 1';
    // EventBridge takes "rate(1 day)" and "rate(2 days)", never "rate(1 days)" or "rate(2 day)".
    if ((count === 1) !== !unit.endsWith('s'))
      return `write rate(${count} ${count === 1 ? unit.replace(/s$/, '') : unit.replace(/s?$/, 's')})`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron)
    return 'must be rate(<value> <unit>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)';
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6) return `a cron expression has 6 fields, this one has ${fields.length}`;
  if (!fields.every((field) => CRON_FIELD.test(field)))
    return 'a cron field holds a character EventBridge does not take';
  const [, , dayOfMonth, , dayOfWeek] = fields;
  // EventBridge: one of day-of-month and day-of-week must be "?".
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  return undefined;
}

const scheduleSchema = z.string().superRefine((expression, context) => {
  const problem = scheduleProblem(expression);
  if (problem) context.addIssue({ code: 'custom', message: `is not an EventBridge schedule: ${problem}` });
});

// PostgreSQL identifiers we create unquoted-safe; 61 leaves room for "_a"/"_b" within 63.
const roleName = z.string().regex(/^[a-z_][a-z0-9_]{0,60}$/, {
  message: 'must be lower-case letters, digits and "_", starting with a letter or "_", at most 61 characters',
});

/** Whether `host` names this machine: the only database the rotation may reach without TLS. */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

// The CA bundle (PEM) that signs the server's certificate: a file shipped with
// the rotation function (a relative path is from the project root, which is the
// function's root in its package), or an SSM parameter holding the PEM.
const caBundleSchema = z.union(
  [z.strictObject({ file: z.string().min(1) }), z.strictObject({ parameter: parameterName })],
  {
    error:
      'must name the CA bundle as { file: <PEM file shipped with the function> } or { parameter: <SSM parameter holding PEM> }',
  },
);

/**
 * `tls:` how the rotation reaches PostgreSQL. `verify-full` (the default): TLS,
 * the server's certificate checked against `ca` and against `host`, as libpq's
 * sslmode=verify-full. `disable`: in clear, for a database on this machine only
 * (the sandbox); the catalog check says so loudly.
 */
export const postgresTlsSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('verify-full').default('verify-full'), ca: caBundleSchema }),
    z.strictObject({ mode: z.literal('disable') }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is required: tls: { ca: { file: <path> } } or { ca: { parameter: <name> } } names the CA bundle that signs the server certificate (README, "Secret rotation"); tls: { mode: disable } is for a database on this machine only'
        : 'must be verify-full (the default) or disable',
  },
);

/** `postgres:` where a `postgres-credentials` secret is applied. */
export const postgresTargetSchema = z
  .strictObject({
    host: z.string().min(1),
    // ${VAR:-5433} interpolates to a string.
    port: z.coerce.number().int().min(1).max(65_535).default(5432),
    database: z.string().min(1).max(63),
    // A SecureString holding {"username","password"} of a role that may CREATE ROLE and ALTER ROLE.
    adminParameter: parameterName,
    baseUser: roleName,
    tls: postgresTlsSchema,
  })
  .superRefine(({ host, tls }, context) => {
    // The admin's login and the new password's verifier would cross a network in clear.
    if (tls.mode === 'disable' && !isLoopbackHost(host)) {
      context.addIssue({
        code: 'custom',
        path: ['tls', 'mode'],
        message: `disable is allowed only for a database on this machine (localhost, 127.x.x.x, ::1), not ${host}: name the CA bundle of its certificate instead`,
      });
    }
  });

/** `generator:` how a new value is made; which fields apply depends on the type. */
export const generatorSchema = z.strictObject({
  length: z.number().int().min(8).max(1024).optional(),
  alphabet: z
    .string()
    .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
    .refine((alphabet) => new Set(alphabet).size === alphabet.length, { message: 'has a character twice' })
    .optional(),
  bytes: z.number().int().min(16).max(1024).optional(),
});

/** `services:` entries: a catalog service and environment, `service/environment`. */
const dependentSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}\/[a-z][a-z0-9-]{0,39}$/, {
  message: 'must name a catalog service and environment as service/environment',
});

export const secretSchema = z
  .strictObject({
    description: z.string().optional(),
    parameter: parameterName,
    type: z.enum(SECRET_TYPES),
    schedule: scheduleSchema,
    generator: generatorSchema.default({}),
    // Rolled after each rotation besides those whose live task definitions read the parameter.
    services: z.array(dependentSchema).default([]),
    postgres: postgresTargetSchema.optional(),
    slackChannel: z.string().min(1).default('#releases'),
    // Who may `/release rotate` it from Slack (users, user groups); none: nobody.
    rotators: z.array(slackPrincipalSchema).default([]),
  })
  .superRefine((secret, context) => {
    const issue = (path: string[], message: string) => context.addIssue({ code: 'custom', path, message });
    const { type, generator } = secret;
    if ((type === 'postgres-credentials') !== (secret.postgres !== undefined)) {
      issue(
        ['postgres'],
        type === 'postgres-credentials'
          ? `is required for type ${type}`
          : `applies only to type postgres-credentials, not ${type}`,
      );
    }
    if (isCharacterSecret(type)) {
      if (generator.bytes !== undefined)
        issue(['generator', 'bytes'], `applies to keys, not to type ${type} (use length)`);
      const length = generator.length ?? DEFAULT_LENGTH;
      const symbols = (generator.alphabet ?? DEFAULT_ALPHABET).length;
      if (length * Math.log2(symbols) < MIN_ENTROPY_BITS) {
        issue(
          ['generator'],
          `length ${length} over an alphabet of ${symbols} characters carries fewer than ${MIN_ENTROPY_BITS} bits`,
        );
      }
    } else {
      for (const field of ['length', 'alphabet'] as const) {
        if (generator[field] !== undefined)
          issue(['generator', field], `applies to passwords, not to type ${type} (use bytes)`);
      }
    }
  });

export type SecretConfig = z.infer<typeof secretSchema>;
export type PostgresTargetConfig = z.infer<typeof postgresTargetSchema>;
export type PostgresTlsConfig = PostgresTargetConfig['tls'];
export type CaBundleSource = z.infer<typeof caBundleSchema>;
export type GeneratorConfig = z.infer<typeof generatorSchema>;
