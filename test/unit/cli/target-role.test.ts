import { parse } from 'yaml';
import { main } from '../../../src/cli/main.ts';

// `release target-role` as a platform engineer types it: the template of the account asked, with the
// automation's stage and region as its parameters' defaults, each statement's reason as a YAML comment.

const CATALOG = new URL('../../fixtures/catalog/accounts.yml', import.meta.url).pathname;
let savedCatalog: string | undefined;

beforeEach(() => {
  savedCatalog = process.env.RELEASE_CATALOG_FILE;
  process.env.RELEASE_CATALOG_FILE = CATALOG;
});
afterEach(() => {
  if (savedCatalog === undefined) delete process.env.RELEASE_CATALOG_FILE;
  else process.env.RELEASE_CATALOG_FILE = savedCatalog;
});

async function run(...argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

type Printed = {
  Parameters: Record<string, { Default?: string }>;
  Resources: Record<string, { Type: string }>;
};

describe('release target-role', () => {
  it('prints the YAML template of the account asked, commented, with the stage and region as defaults', async () => {
    const { code, output } = await run(
      'target-role',
      '--account',
      '222222222222',
      '--stage',
      'prod',
      '--region',
      'eu-west-1',
    );
    expect(code).toBe(0);
    const template = parse(output) as Printed;
    expect(template.Parameters.AutomationPrefix?.Default).toBe('release-automation-prod');
    expect(template.Parameters.AutomationRegion?.Default).toBe('eu-west-1');
    expect(Object.keys(template.Resources).sort()).toEqual(['DeploymentRole', 'ForwardEcsEvents', 'ForwardEventsRole']);
    expect(output).toMatch(/# ListTasks is authorized on container instances[^\n]*\n\s+- Sid: ListTasks/);
  });

  it('prints JSON with --json; the tools account forwards its pushes', async () => {
    const { output } = await run('target-role', '--account', '333333333333', '--json');
    expect(Object.keys((JSON.parse(output) as Printed).Resources).sort()).toEqual([
      'DeploymentRole',
      'ForwardEcrPushes',
      'ForwardEventsRole',
    ]);
  });

  it('refuses an account the catalog does not name, and asks which when it names several', async () => {
    await expect(run('target-role', '--account', '444444444444')).rejects.toThrow(
      'the catalog names no account 444444444444 (it names 222222222222, 333333333333)',
    );
    await expect(run('target-role')).rejects.toThrow('give one with --account (222222222222, 333333333333)');
  });
});
