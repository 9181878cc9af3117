import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// serverless.yml as the framework resolves it with the params a platform team
// would give (`serverless print`, offline): what deploys is what is asserted.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../../node_modules/osls/bin/serverless.js', import.meta.url));

type Statement = { Action: string[]; Resource: unknown; Condition?: unknown };
type Resolved = { functions: Record<string, { reservedConcurrency?: unknown; iamRoleStatements?: Statement[] }> };

const print = async (params: Record<string, string>) => {
  const args = Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'print', '--format', 'json', ...args], {
    cwd: root,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    maxBuffer: 32 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Resolved;
};

// What deploy may pass to ECS tasks (the task and execution roles of a revision).
const passToTasks = (config: Resolved) =>
  (config.functions.deploy?.iamRoleStatements ?? []).filter(
    (statement) =>
      statement.Action.includes('iam:PassRole') &&
      JSON.stringify(statement.Condition).includes('ecs-tasks.amazonaws.com'),
  );

const publicFunctions = ['slackCommand', 'githubWebhook'];
const timeout = 60_000;

describe('stack params', () => {
  it(
    'by default: 10 reserved executions per public function; deploy passes any role, to ECS tasks only',
    async () => {
      const config = await print({});
      for (const name of publicFunctions) expect(config.functions[name]?.reservedConcurrency).toBe(10);
      expect(passToTasks(config)).toEqual([
        expect.objectContaining({
          Resource: '*',
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
      ]);
    },
    timeout,
  );

  it(
    'passRoleArns scopes deploy to those roles; publicFunctionConcurrency sets both functions',
    async () => {
      const taskRole = 'arn:aws:iam::123456789012:role/web-task';
      const executionRoles = 'arn:aws:iam::123456789012:role/ecs-execution-*';
      const config = await print({
        passRoleArns: `${taskRole}, ${executionRoles}`,
        publicFunctionConcurrency: '25',
      });
      for (const name of publicFunctions) expect(config.functions[name]?.reservedConcurrency).toBe(25);
      expect(passToTasks(config)).toEqual([
        expect.objectContaining({
          Resource: [executionRoles, taskRole],
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
      ]);
    },
    timeout,
  );

  it(
    'refuses a value that is not a role ARN or a usable concurrency, naming the param',
    async () => {
      await expect(print({ passRoleArns: 'web-task' })).rejects.toMatchObject({
        stdout: expect.stringContaining('param passRoleArns: "web-task" is not an IAM role ARN'),
      });
      await expect(print({ publicFunctionConcurrency: '0' })).rejects.toMatchObject({
        stdout: expect.stringContaining('param publicFunctionConcurrency: "0" is not a whole number'),
      });
    },
    timeout,
  );
});
