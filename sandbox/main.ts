// `npm start`: the sandbox in the foreground on its default ports until
// Ctrl-C (SIGINT) or SIGTERM, which stop it cleanly.
//   node sandbox/main.ts [--port 4566] [--slack-port 4580] [--lb-port 8080] [--shop-lb-port 8081]
//     [--traffic 20] [--no-canary-demo] [--postgres-port 5433 | --no-postgres] [--time-factor 0.05]
//     [--fault spec]… [--dashboard-port 4600] [--quiet]
// SANDBOX_PORT, SANDBOX_DASHBOARD_PORT, SANDBOX_SLACK_PORT, SANDBOX_LB_PORT, SANDBOX_SHOP_LB_PORT, SANDBOX_TRAFFIC,
// SANDBOX_POSTGRES_PORT, SANDBOX_TIME_FACTOR and SANDBOX_FAULTS do the same.
// Unlike the library's startSandbox (which tests call, each sending its own
// traffic), `npm start` runs the canary demo with its traffic by default.
import { parseArgs } from 'node:util';
import { serveDashboard } from '../src/cli/dashboard.ts';
import { resolveTarget } from '../src/cli/target.ts';
import type { Dashboard } from '../src/dashboard/index.ts';
import { rotationBanner } from './banner-rotation.ts';
import { FAULT_SPEC_HELP, type FaultRule, parseFaultSpec } from './faults/rules.ts';
import {
  DEFAULT_DEMO_TRAFFIC,
  DEFAULT_LB_PORT,
  DEFAULT_PORT,
  DEFAULT_SHOP_LB_PORT,
  DEFAULT_SLACK_PORT,
  DEFAULT_TIME_FACTOR,
  type Sandbox,
  startSandbox,
} from './index.ts';
import { DEFAULT_FUNCTION_URL_PORT } from './lambda/function-urls.ts';

const DEFAULT_DASHBOARD_PORT = 4600;

const HELP = `Usage: npm start -- [options]

Runs the release-automation sandbox on 127.0.0.1 until Ctrl-C.
  --port <n>           AWS endpoint port (default ${DEFAULT_PORT}, env SANDBOX_PORT)
  --slack-port <n>     Slack Web API stub port (default ${DEFAULT_SLACK_PORT}, env SANDBOX_SLACK_PORT)
  --lb-port <n>        the demo service's load balancer port (default ${DEFAULT_LB_PORT}, env SANDBOX_LB_PORT)
  --production-lb-port <n>
                       the demo's production (web-production, released from GitHub releases)
                       (default: a free port, env SANDBOX_PRODUCTION_LB_PORT)
  --shop-lb-port <n>   the canary demo's load balancer port (service shop, ECS's CANARY strategy)
                       (default ${DEFAULT_SHOP_LB_PORT}, env SANDBOX_SHOP_LB_PORT; 0 = a free port)
  --traffic <n>        requests/s of demo traffic to shop, so its canaries have metrics to judge
                       (default ${DEFAULT_DEMO_TRAFFIC}, env SANDBOX_TRAFFIC; 0 = none, send your own)
  --no-canary-demo     run neither shop nor its traffic (env SANDBOX_CANARY_DEMO=off)
  --function-url-port <n>
                       the first Lambda function URL's port; the others follow
                       (default ${DEFAULT_FUNCTION_URL_PORT}, env SANDBOX_FUNCTION_URL_PORT)
  --time-factor <x>    waits, retries and ECS timings last x times their AWS duration
                       (default ${DEFAULT_TIME_FACTOR}, env SANDBOX_TIME_FACTOR; 1 = real time)
  --fault <spec>       inject AWS and event-delivery faults, repeatable (env SANDBOX_FAULTS, space-separated):
                       ${FAULT_SPEC_HELP.split('\n').join('\n                       ')}
                       change them while running: GET/POST/PUT/DELETE <endpoint>/_sandbox/faults
  --postgres-port <n>  the PostgreSQL server for the catalog's postgres-credentials secrets
                       (default: the secret's port, 5433; env SANDBOX_POSTGRES_PORT; 0 = a free port)
  --no-postgres        start no PostgreSQL (the services that read its credential then fail to start)
  --dashboard-port <n> the release dashboard's port (default ${DEFAULT_DASHBOARD_PORT}, env SANDBOX_DASHBOARD_PORT; 0 = a free port)
  --quiet              print only the banner
  --help`;

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    console.error(`${name}: "${value}" is not a number`);
    process.exit(2);
  }
  return parsed;
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string' },
      'slack-port': { type: 'string' },
      'lb-port': { type: 'string' },
      'shop-lb-port': { type: 'string' },
      'production-lb-port': { type: 'string' },
      'function-url-port': { type: 'string' },
      traffic: { type: 'string' },
      'no-canary-demo': { type: 'boolean' },
      'time-factor': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'postgres-port': { type: 'string' },
      'no-postgres': { type: 'boolean' },
      'dashboard-port': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }).values;
}
try {
  args = parse();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const port = number('--port', args.port ?? process.env.SANDBOX_PORT, DEFAULT_PORT);
const slackPort = number('--slack-port', args['slack-port'] ?? process.env.SANDBOX_SLACK_PORT, DEFAULT_SLACK_PORT);
const lbPort = number('--lb-port', args['lb-port'] ?? process.env.SANDBOX_LB_PORT, DEFAULT_LB_PORT);
// The demo's production (web-production) is always there, on a free port unless given.
const productionLbPort = number(
  '--production-lb-port',
  args['production-lb-port'] ?? process.env.SANDBOX_PRODUCTION_LB_PORT,
  0,
);
const canaryDemo = args['no-canary-demo'] !== true && process.env.SANDBOX_CANARY_DEMO !== 'off';
const shopLbPort = number(
  '--shop-lb-port',
  args['shop-lb-port'] ?? process.env.SANDBOX_SHOP_LB_PORT,
  DEFAULT_SHOP_LB_PORT,
);
const traffic = number('--traffic', args.traffic ?? process.env.SANDBOX_TRAFFIC, DEFAULT_DEMO_TRAFFIC);
const functionUrlPort = number(
  '--function-url-port',
  args['function-url-port'] ?? process.env.SANDBOX_FUNCTION_URL_PORT,
  DEFAULT_FUNCTION_URL_PORT,
);
const postgresText = args['postgres-port'] ?? process.env.SANDBOX_POSTGRES_PORT;
const postgresPort = postgresText === undefined ? undefined : number('--postgres-port', postgresText, 0);
const dashboardPort = number(
  '--dashboard-port',
  args['dashboard-port'] ?? process.env.SANDBOX_DASHBOARD_PORT,
  DEFAULT_DASHBOARD_PORT,
);
const timeFactor = number('--time-factor', args['time-factor'] ?? process.env.SANDBOX_TIME_FACTOR, DEFAULT_TIME_FACTOR);

let faults: FaultRule[];
try {
  const specs = args.fault ?? (process.env.SANDBOX_FAULTS ?? '').split(/\s+/).filter((spec) => spec !== '');
  faults = specs.map(parseFaultSpec);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n--fault ${FAULT_SPEC_HELP}`);
  process.exit(2);
}

let sandbox: Sandbox;
try {
  sandbox = await startSandbox({
    port,
    slackPort,
    functionUrlPort,
    lbPorts: {
      web: lbPort,
      'web-production': productionLbPort,
      ...(canaryDemo ? { shop: shopLbPort } : {}),
    },
    demoTrafficPerSecond: traffic,
    timeFactor,
    faults,
    quiet: args.quiet === true,
    ...(args['no-postgres'] ? {} : { postgres: postgresPort === undefined ? {} : { port: postgresPort } }),
  });
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  const busy = /EADDRINUSE/.test(reason)
    ? '\nA port is taken: is another sandbox running? Choose others with --port/--slack-port/--lb-port/--function-url-port.'
    : '';
  console.error(`The sandbox could not start: ${reason}${busy}`);
  process.exit(1);
}

// The release dashboard over this sandbox, through the same adapters `release dashboard --aws` uses.
let dashboard: Dashboard;
try {
  const target = resolveTarget({ 'endpoint-url': sandbox.endpoint, region: sandbox.location.region });
  dashboard = await serveDashboard(target, { port: dashboardPort, portOption: '--dashboard-port' });
} catch (error) {
  console.error(`The dashboard could not start: ${error instanceof Error ? error.message : String(error)}`);
  await sandbox.stop();
  process.exit(1);
}

const machines = sandbox.stateMachines.stateMachines();
// The release CLI goes to the default port unless told otherwise.
const endpointOption = sandbox.port === DEFAULT_PORT ? '' : ` --endpoint-url ${sandbox.endpoint}`;
console.log(
  [
    '',
    'release-automation sandbox',
    `  AWS endpoint     ${sandbox.endpoint}   (SSM, Step Functions, EventBridge, DynamoDB${sandbox.services.length > 0 ? ', ECS, ECR, CloudWatch' : ''})`,
    `  dashboard        ${dashboard.url}   (releases, canary charts, alarms; live)`,
    `  Slack Web API    ${sandbox.slack.apiUrl}`,
    ...Object.entries(sandbox.functionUrls).map(([key, url]) => `  function URL     ${url}   (${key})`),
    ...sandbox.services.flatMap((service) => service.notes ?? []).map((note) => `  ${note}`),
    `  state machines   ${machines.map((machine) => machine.name).join(', ')}`,
    `  event rules      ${sandbox.eventBus.rules.map((rule) => rule.name).join(', ')}`,
    `  time factor      ${sandbox.timeFactor} (a 15 s Wait takes ${Math.round(15_000 * sandbox.timeFactor)} ms)`,
    `  faults           ${faults.length === 0 ? 'none' : faults.map(describeFault).join(', ')}   (${sandbox.endpoint}/_sandbox/faults)`,
    ...rotationBanner(sandbox, endpointOption).status,
    '',
    'Try:',
    `  npx release push demo/web:v2 --watch${endpointOption}`,
    ...(canaryDemo
      ? [
          `  npx release push demo/shop:v2 --watch${endpointOption}         a good canary: 10%, analysed, promoted`,
          `  npx release push demo/shop:v2-err30 --watch${endpointOption}   a bad one (30% errors): rolled back by analysis`,
          `  npx release push demo/shop:v2-lat200 --watch${endpointOption}  a slow one (+200 ms): rolled back once latency is judged`,
          ...(traffic > 0 ? [] : ['  (no demo traffic: send shop your own, or its analyses have nothing to judge)']),
        ]
      : []),
    ...rotationBanner(sandbox, endpointOption).commands,
    `  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_REGION=${sandbox.location.region} \\`,
    `    aws --endpoint-url ${sandbox.endpoint} stepfunctions list-executions --state-machine-arn ${machines[0]?.arn ?? '<arn>'}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the sandbox…`);
  dashboard
    .close()
    .then(() => sandbox.stop())
    .then(() => {
      console.log('stopped.');
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// Piped into something that has gone (`npm start | head`): nobody is watching,
// so stop as on Ctrl-C rather than keep running, and without writing again.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') stop('stdout closed');
});

function describeFault(rule: FaultRule): string {
  const where =
    rule.service === '*'
      ? 'every service'
      : rule.operation === '*'
        ? rule.service
        : `${rule.service}.${rule.operation}`;
  return `${rule.fault}${rule.latencyMs === undefined ? '' : ` ${rule.latencyMs} ms`} at ${rule.rate} on ${where}`;
}
