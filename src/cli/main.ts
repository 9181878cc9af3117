import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { catalogFilePath, loadCatalogFile, nameSchema } from '../catalog/index.ts';
import { readCatalogSecrets } from './catalog-secrets.ts';
import { abortUsage, promoteUsage, requestReleaseControl } from './control.ts';
import { DEFAULT_DASHBOARD_PORT, dashboardUsage, serveDashboard, untilStopped } from './dashboard.ts';
import { doctor, doctorUsage, slackManifest, slackManifestUsage } from './doctor.ts';
import {
  findDeliveryExecution,
  gitHubReleaseUsage,
  parseGitHubReleaseArguments,
  sandboxWebhookUrl,
  sendGitHubRelease,
  webhookSecret,
} from './github-release.ts';
import {
  auditUsage,
  failureWindowHours,
  formatAudit,
  formatMetrics,
  metricsUsage,
  parseSince,
  readMetrics,
} from './insight.ts';
import { logsUsage, printLogs } from './logs.ts';
import { findReleaseExecution, parseImageArgument, pushAnnotations, pushImage, pushUsage } from './push.ts';
import { catalogSecret, rotateUsage, startRotation } from './rotate.ts';
import { listSecrets, secretHistory, secretsUsage } from './secrets.ts';
import { playSlack, slackUsage } from './slack.ts';
import { formatStatus, readStatus, statusUsage } from './status.ts';
import { resolveTarget } from './target.ts';
import { targetRole, targetRoleUsage } from './target-role.ts';
import { globalUsage, UsageError } from './usage.ts';
import { watchRelease, watchUsage } from './watch.ts';

const common = {
  'endpoint-url': { type: 'string' },
  aws: { type: 'boolean' },
  region: { type: 'string' },
  stage: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const commands = {
  push: {
    usage: pushUsage,
    options: {
      from: { type: 'string' },
      watch: { type: 'boolean' },
      created: { type: 'string' },
      revision: { type: 'string' },
    },
  },
  status: {
    usage: statusUsage,
    options: {
      json: { type: 'boolean' },
      limit: { type: 'string' },
      service: { type: 'string' },
      environment: { type: 'string' },
    },
  },
  watch: { usage: watchUsage, options: { timeout: { type: 'string' } } },
  logs: { usage: logsUsage, options: {} },
  promote: { usage: promoteUsage, options: { environment: { type: 'string' }, by: { type: 'string' } } },
  abort: { usage: abortUsage, options: { environment: { type: 'string' }, by: { type: 'string' } } },
  slack: {
    usage: slackUsage,
    options: { user: { type: 'string' }, click: { type: 'string' }, channel: { type: 'string' } },
  },
  'github-release': {
    usage: gitHubReleaseUsage,
    options: {
      prerelease: { type: 'boolean' },
      draft: { type: 'boolean' },
      delivery: { type: 'string' },
      url: { type: 'string' },
      'secret-parameter': { type: 'string' },
      author: { type: 'string' },
    },
  },
  rotate: { usage: rotateUsage, options: { watch: { type: 'boolean' }, by: { type: 'string' } } },
  secrets: { usage: secretsUsage, options: {} },
  doctor: { usage: doctorUsage, options: { service: { type: 'string' }, json: { type: 'boolean' } } },
  'slack-manifest': { usage: slackManifestUsage, options: { json: { type: 'boolean' } } },
  dashboard: { usage: dashboardUsage, options: { port: { type: 'string' } } },
  metrics: {
    usage: metricsUsage,
    options: { service: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' } },
  },
  'target-role': { usage: targetRoleUsage, options: { account: { type: 'string' }, json: { type: 'boolean' } } },
  audit: {
    usage: auditUsage,
    options: { service: { type: 'string' }, since: { type: 'string' }, format: { type: 'string' } },
  },
} as const;

const positiveInteger = (value: string | undefined, name: string, fallback: number) => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`--${name} must be a positive whole number`);
  return parsed;
};

/** A service or environment name as the catalog spells them; undefined when not given. */
const catalogName = (value: string | undefined, name: string) => {
  if (value === undefined) return undefined;
  const parsed = nameSchema.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(`--${name} "${value}" ${parsed.error.issues[0]?.message ?? 'is not a catalog name'}`);
  }
  return parsed.data;
};

/** The webhook URL of the sandbox at `endpoint`; real AWS has no such lookup. */
async function webhookUrlOf(endpoint: string | undefined): Promise<string> {
  if (endpoint === undefined) throw new UsageError('with --aws, give the webhook URL: --url <function url>');
  return sandboxWebhookUrl(endpoint);
}
/** Who asked: `--by`, else the local user. */
const requester = (by: string | boolean | undefined) => {
  if (typeof by === 'string' && by.trim() === '') throw new UsageError('--by must name someone');
  return typeof by === 'string' ? by : userInfo().username;
};

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined && Object.hasOwn(commands, rest[0])) {
    print(commands[rest[0] as keyof typeof commands].usage);
    return 0;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    print(globalUsage);
    return name === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(commands, name)) throw new UsageError(`unknown command "${name}"`);
  const command = commands[name as keyof typeof commands];
  let parsed: unknown;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...common, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  // parseArgs' types do not narrow over a union of option sets; strict parsing
  // above has already checked every option against this command's own.
  const { values, positionals } = parsed as {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
  };
  if (values.help) {
    print(command.usage);
    return 0;
  }
  const target = resolveTarget(values);
  const expectArguments = (count: number) => {
    if (positionals.length !== count) {
      throw new UsageError(
        `${name} takes ${count === 0 ? 'no arguments' : `${count} argument`}, got ${positionals.length}`,
      );
    }
  };
  switch (name) {
    case 'push': {
      expectArguments(1);
      const { repository, tag } = parseImageArgument(positionals[0]);
      const pushedAt = new Date();
      const annotations = pushAnnotations(values.created as string | undefined, values.revision as string | undefined);
      if (values.from !== undefined && Object.keys(annotations).length > 0)
        throw new UsageError('--from retags an image as it is: --created and --revision cannot change it');
      const digest = await pushImage(target, repository, tag, values.from as string | undefined, annotations);
      print(`pushed ${repository}:${tag} ${digest}`);
      const execution = await findReleaseExecution(target, { tag, digest, pushedAt });
      if (!execution) {
        print('no release started (is the repository in the service catalog?)');
        return 1;
      }
      print(`release started: ${execution}`);
      if (!values.watch) return 0;
      return (await watchRelease(target, execution, { timeoutSeconds: 3600, print })) === 'SUCCEEDED' ? 0 : 1;
    }
    case 'status': {
      expectArguments(0);
      const limit = positiveInteger(values.limit as string | undefined, 'limit', 20);
      const releases = await readStatus(target, {
        limit,
        service: catalogName(values.service as string | undefined, 'service'),
        environment: catalogName(values.environment as string | undefined, 'environment'),
      });
      print(values.json ? JSON.stringify(releases, null, 2) : formatStatus(releases));
      return 0;
    }
    case 'watch': {
      expectArguments(1);
      const timeoutSeconds = positiveInteger(values.timeout as string | undefined, 'timeout', 3600);
      return (await watchRelease(target, positionals[0] ?? '', { timeoutSeconds, print })) === 'SUCCEEDED' ? 0 : 1;
    }
    case 'promote':
    case 'abort': {
      expectArguments(1);
      const service = catalogName(positionals[0], 'service') ?? '';
      const outcome = await requestReleaseControl(target.releases, {
        action: name,
        service,
        environment: catalogName(values.environment as string | undefined, 'environment'),
        requestedBy: requester(values.by),
        now: new Date(),
      });
      print(outcome.message);
      return outcome.accepted ? 0 : 1;
    }
    case 'slack': {
      expectArguments(1);
      const user = values.user as string | undefined;
      if (user === undefined) throw new UsageError('slack needs --user <U…>');
      const click = values.click as string | undefined;
      if (click !== undefined && click !== 'approve' && click !== 'reject') {
        throw new UsageError(`--click takes approve or reject, got "${click}"`);
      }
      const argument = positionals[0] ?? '';
      const answer = await playSlack(values, {
        user,
        ...(click ? { click: { action: click, approvalId: argument } } : { line: argument }),
        ...(typeof values.channel === 'string' ? { channel: values.channel } : {}),
      });
      print(
        answer.status === 200
          ? answer.text || 'clicked (the approval message shows the outcome)'
          : `${answer.status} ${answer.text}`,
      );
      return answer.status === 200 ? 0 : 1;
    }
    case 'github-release': {
      const { repository, tag } = parseGitHubReleaseArguments(positionals);
      const url = (values.url as string | undefined) ?? (await webhookUrlOf(target.endpoint));
      const parameter =
        (values['secret-parameter'] as string | undefined) ??
        `/release-automation/${target.stage}/github/webhook-secret`;
      const sentAt = new Date();
      const answer = await sendGitHubRelease(url, await webhookSecret(target, parameter), {
        repository,
        tag,
        prerelease: values.prerelease === true,
        draft: values.draft === true,
        ...(values.delivery === undefined ? {} : { deliveryId: values.delivery as string }),
        ...(values.author === undefined ? {} : { author: values.author as string }),
      });
      print(`delivery ${answer.deliveryId}: HTTP ${answer.status} ${answer.body}`);
      if (answer.status !== 202) return answer.status < 300 ? 0 : 1;
      const execution = await findDeliveryExecution(target, answer.deliveryId, sentAt);
      print(execution ? `release started: ${execution}` : 'no release execution started');
      return execution ? 0 : 1;
    }
    case 'rotate': {
      expectArguments(1);
      const by = requester(values.by);
      const catalogFile = catalogFilePath(process.env);
      const secret = catalogSecret(readCatalogSecrets(catalogFile, process.env), positionals[0] ?? '', catalogFile);
      const execution = await startRotation(target, secret, by);
      print(`rotation of ${secret.parameter} started: ${execution}`);
      if (!values.watch) return 0;
      const status = await watchRelease(target, execution, { timeoutSeconds: 3600, print, kind: 'rotation' });
      return status === 'SUCCEEDED' ? 0 : 1;
    }
    case 'secrets': {
      const [action, ...parameters] = positionals;
      if (action === 'list' && parameters.length === 0) {
        print(await listSecrets(target, readCatalogSecrets(catalogFilePath(process.env), process.env)));
        return 0;
      }
      if (action === 'history' && parameters.length === 1) {
        print(await secretHistory(target, parameters[0] ?? ''));
        return 0;
      }
      throw new UsageError('secrets takes "list" or "history <parameter>"');
    }
    case 'doctor': {
      expectArguments(0);
      const service = catalogName(values.service as string | undefined, 'service');
      return doctor(target, { ...(service ? { service } : {}), json: values.json === true }, print);
    }
    case 'slack-manifest': {
      expectArguments(0);
      await slackManifest(target, { json: values.json === true }, print);
      return 0;
    }
    case 'dashboard': {
      expectArguments(0);
      const portText = values.port as string | undefined;
      const port = portText === '0' ? 0 : positiveInteger(portText, 'port', DEFAULT_DASHBOARD_PORT);
      if (port > 65535) throw new UsageError('--port must be at most 65535');
      const dashboard = await serveDashboard(target, { port });
      print(`dashboard of ${target.description}: ${dashboard.url}   (Ctrl-C stops it)`);
      await untilStopped();
      await dashboard.close();
      return 0;
    }
    case 'metrics': {
      expectArguments(0);
      const now = new Date();
      const service = catalogName(values.service as string | undefined, 'service');
      const report = await readMetrics(target, {
        ...(service === undefined ? {} : { service }),
        since: parseSince(values.since as string | undefined, now),
        now,
        failureWindowHours: failureWindowHours(catalogFilePath(process.env)),
      });
      print(formatMetrics(report, values.json === true));
      return 0;
    }
    case 'audit': {
      expectArguments(0);
      const format = (values.format as string | undefined) ?? 'jsonl';
      if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format takes jsonl or csv, got "${format}"`);
      const service = catalogName(values.service as string | undefined, 'service');
      const events = await target.ledger.list({
        ...(service === undefined ? {} : { service }),
        since: parseSince(values.since as string | undefined, new Date()).toISOString(),
      });
      const text = formatAudit(events, format);
      if (text !== '') print(text);
      return 0;
    }
    case 'target-role': {
      expectArguments(0);
      const catalog = loadCatalogFile(catalogFilePath(process.env), process.env);
      print(targetRole(catalog, target, { account: values.account as string | undefined, json: values.json === true }));
      return 0;
    }
    default: {
      expectArguments(1);
      await printLogs(target, positionals[0] ?? '', print);
      return 0;
    }
  }
}
