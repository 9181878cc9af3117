import * as z from 'zod';
import { ConfigurationError } from './errors.ts';

/** An environment as Lambda, the sandbox or a test gives it. */
export type Env = Readonly<Record<string, string | undefined>>;

const name = z.string().min(1);

// Every environment variable the functions read, named once: the config key,
// the variable serverless.yml sets, and what a valid value is.
const variables = {
  releasesTable: { variable: 'RELEASES_TABLE', schema: name },
  locksTable: { variable: 'LOCKS_TABLE', schema: name },
  approvalsTable: { variable: 'APPROVALS_TABLE', schema: name },
  auditTable: { variable: 'AUDIT_TABLE', schema: name },
  idempotencyTable: { variable: 'IDEMPOTENCY_TABLE', schema: name },
  deploymentWaitsTable: { variable: 'DEPLOYMENT_WAITS_TABLE', schema: name },
  slackTokenParameter: { variable: 'SLACK_TOKEN_PARAMETER', schema: name },
  slackApiUrl: { variable: 'SLACK_API_URL', schema: z.url().optional() },
  slackSigningSecretParameter: { variable: 'SLACK_SIGNING_SECRET_PARAMETER', schema: name },
  githubWebhookSecretParameter: { variable: 'GITHUB_WEBHOOK_SECRET_PARAMETER', schema: name },
  eventBusName: { variable: 'EVENT_BUS_NAME', schema: name },
  releaseStateMachineName: { variable: 'RELEASE_STATE_MACHINE_NAME', schema: name },
  rotationStateMachineName: { variable: 'ROTATION_STATE_MACHINE_NAME', schema: name },
  catalogFile: { variable: 'RELEASE_CATALOG_FILE', schema: name.optional() },
  // Where a catalog target naming no account or region lives: the automation's own (src/catalog/account.ts).
  automationAccount: { variable: 'AUTOMATION_ACCOUNT', schema: z.string().regex(/^\d{12}$/) },
  awsRegion: { variable: 'AWS_REGION', schema: name },
  // Where the alarms' notifications go (alarm-notify).
  alarmSlackChannel: { variable: 'ALARM_SLACK_CHANNEL', schema: name },
  // The long-running-release alarm, whose notice names the oldest running release.
  longReleaseAlarmName: { variable: 'LONG_RELEASE_ALARM_NAME', schema: name },
  // Powertools' own settings, given to its Logger and Metrics when a function is
  // wired: they must not come from process.env, which sandboxes in one process share.
  logLevel: {
    variable: 'POWERTOOLS_LOG_LEVEL',
    schema: z
      .string()
      .transform((level) => level.toUpperCase())
      .pipe(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']))
      .optional(),
  },
  metricsNamespace: { variable: 'POWERTOOLS_METRICS_NAMESPACE', schema: name.optional() },
  metricsDisabled: { variable: 'POWERTOOLS_METRICS_DISABLED', schema: z.stringbool().optional() },
} as const;

type Variables = typeof variables;

/** The functions' configuration, typed; each function takes only the keys it needs. */
export type Config = { [K in keyof Variables]: z.output<Variables[K]['schema']> };

/** The environment variable a config key is read from. */
export function variableOf(key: keyof Config): string {
  return variables[key].variable;
}

/**
 * Reads and validates `keys` from `env` once, at cold start; the first missing
 * or malformed variable fails with its name (ConfigurationError). Empty counts as unset.
 */
export function loadConfig<K extends keyof Config>(env: Env, keys: readonly K[]): Pick<Config, K> {
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const key of keys) {
    const { variable, schema } = variables[key];
    const raw = env[variable];
    const parsed = schema.safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) {
      const problem = raw === undefined || raw === '' ? 'is not set' : 'is malformed';
      throw new ConfigurationError(`environment variable ${variable} ${problem}`);
    }
    config[key] = parsed.data;
  }
  return config as Pick<Config, K>;
}

/** The process's own environment, read here only: by the Lambda entries' composition root, and the sandbox's. */
export function processEnvironment(): Env {
  return process.env;
}
