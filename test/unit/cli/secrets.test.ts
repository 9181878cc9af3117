import { userInfo } from 'node:os';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterHistoryCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../../src/cli/main.ts';
import { UnknownSecretError } from '../../../src/cli/rotate.ts';
import { ParameterMissingError } from '../../../src/cli/secrets.ts';
import { UsageError } from '../../../src/cli/usage.ts';

// `release rotate`, `release secrets list` and `release secrets history`
// against mocked Step Functions and SSM, with the fixture catalog's secrets.

const sfn = mockClient(SFNClient);
const ssm = mockClient(SSMClient);
const CATALOG = new URL('../../fixtures/catalog/secrets.yml', import.meta.url).pathname;
const DB = '/release-automation/sandbox/shop/db';
const ROTATION = 'arn:aws:states:us-east-1:000000000000:stateMachine:release-automation-dev-rotation';
const VALUE = 'never-shown-value';
let savedCatalog: string | undefined;

beforeEach(() => {
  savedCatalog = process.env.RELEASE_CATALOG_FILE;
  process.env.RELEASE_CATALOG_FILE = CATALOG;
});
afterEach(() => {
  if (savedCatalog === undefined) delete process.env.RELEASE_CATALOG_FILE;
  else process.env.RELEASE_CATALOG_FILE = savedCatalog;
  sfn.reset();
  ssm.reset();
});

async function run(...argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main([...argv, '--endpoint-url', 'http://127.0.0.1:1'], (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

const version = (Version: number, Labels: string[], LastModifiedDate: string) => ({
  Name: DB,
  Type: 'SecureString' as const,
  Value: VALUE,
  Version,
  Labels,
  LastModifiedDate: new Date(LastModifiedDate),
  LastModifiedUser: 'arn:aws:sts::000000000000:assumed-role/rotation/fn',
});

describe('release rotate', () => {
  // The CLI finds the rotation state machine by its name.
  beforeEach(() => {
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [
        {
          name: 'release-automation-dev-rotation',
          stateMachineArn: ROTATION,
          type: 'STANDARD',
          creationDate: new Date(),
        },
      ],
    });
  });

  it('starts the rotation state machine for a catalog secret, named by its rotation id, requested by the local user', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ROTATION}:x`, startDate: new Date() });
    const { code, output } = await run('rotate', DB);
    expect(code).toBe(0);
    expect(output).toContain(`rotation of ${DB} started: ${ROTATION}:x`);
    const [call] = sfn.commandCalls(StartExecutionCommand);
    const input = JSON.parse(call?.args[0].input.input ?? '{}');
    expect(input).toEqual({ parameter: DB, rotationId: call?.args[0].input.name, requestedBy: userInfo().username });
    expect(call?.args[0].input).toMatchObject({
      stateMachineArn: ROTATION,
      name: expect.stringMatching(/^rotate-\d{8}T\d{6}-[0-9a-f]{8}$/),
    });
  });

  it('takes --by, and refuses a parameter that is not a catalog secret without starting anything', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ROTATION}:y` });
    await run('rotate', DB, '--by', 'alice');
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}').requestedBy).toBe(
      'alice',
    );
    sfn.resetHistory();
    const refused = run('rotate', '/release-automation/sandbox/other');
    await expect(refused).rejects.toThrow(UnknownSecretError);
    await expect(refused).rejects.toThrow(
      `/release-automation/sandbox/other is not a secret in the catalog (${CATALOG}); its secrets are ${DB}, /release-automation/sandbox/web/session-key`,
    );
    expect(sfn.calls()).toHaveLength(0);
    await expect(run('rotate')).rejects.toThrow(UsageError);
    await expect(run('rotate', DB, '--by', ' ')).rejects.toThrow(UsageError);
  });

  it.each([
    ['SUCCEEDED', 0],
    ['FAILED', 1],
  ] as const)('--watch follows the rotation to its end: %s exits %i', async (status, exitCode) => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ROTATION}:w` });
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: `${ROTATION}:w`,
      name: 'w',
      status,
      startDate: new Date('2026-12-02T00:00:00Z'),
      stopDate: new Date('2026-12-02T00:00:04Z'),
    });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, type: 'ExecutionStarted', timestamp: new Date('2026-12-02T00:00:00Z') },
        {
          id: 2,
          type: 'TaskStateEntered',
          timestamp: new Date('2026-12-02T00:00:01Z'),
          stateEnteredEventDetails: { name: 'CreateSecret' },
        },
      ],
    });
    const { code, output } = await run('rotate', DB, '--watch');
    expect(code).toBe(exitCode);
    expect(output).toContain(`rotation w (${ROTATION}:w)`);
    expect(output).toContain('CreateSecret');
    expect(output).toContain(`${status} in 4.0s`);
  });
});

describe('release secrets', () => {
  it('list shows each catalog secret with its latest version, date and labels, never a value', async () => {
    ssm.on(GetParameterHistoryCommand, { Name: DB }).resolves({
      Parameters: [version(1, ['previous'], '2026-11-01T00:00:00Z'), version(2, ['current'], '2026-12-01T03:00:00Z')],
    });
    ssm
      .on(GetParameterHistoryCommand, { Name: '/release-automation/sandbox/web/session-key' })
      .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const { code, output } = await run('secrets', 'list');
    expect(code).toBe(0);
    const [header, db, key] = output.split('\n');
    expect(header?.split(/\s{2,}/)).toEqual([
      'PARAMETER',
      'TYPE',
      'SCHEDULE',
      'SERVICES',
      'VERSION',
      'LAST MODIFIED',
      'LABELS',
    ]);
    expect(db?.split(/\s{2,}/)).toEqual([
      DB,
      'postgres-credentials',
      'rate(30 days)',
      'shop',
      '2',
      '2026-12-01T03:00:00Z',
      'current',
    ]);
    expect(key?.split(/\s{2,}/)).toEqual([
      '/release-automation/sandbox/web/session-key',
      'jwt-signing-key',
      'cron(0 3 ? * SUN *)',
      '(from task definitions)',
      'not in SSM',
      '-',
      '-',
    ]);
    expect(output).not.toContain(VALUE);
    for (const call of ssm.commandCalls(GetParameterHistoryCommand))
      expect(call.args[0].input.WithDecryption).toBe(false);
  });

  it('history pages through every version without decryption and prints version, date, labels and who, never a value', async () => {
    ssm
      .on(GetParameterHistoryCommand, { Name: DB, NextToken: undefined })
      .resolves({ Parameters: [version(1, [], '2026-11-01T00:00:00Z')], NextToken: 'page-2' })
      .on(GetParameterHistoryCommand, { Name: DB, NextToken: 'page-2' })
      .resolves({
        Parameters: [version(2, ['previous'], '2026-11-15T00:00:00Z'), version(3, ['current'], '2026-12-01T00:00:00Z')],
      });
    const { output } = await run('secrets', 'history', DB);
    expect(output.split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['VERSION', 'DATE', 'LABELS', 'BY'],
      ['1', '2026-11-01T00:00:00Z', '-', 'arn:aws:sts::000000000000:assumed-role/rotation/fn'],
      ['2', '2026-11-15T00:00:00Z', 'previous', 'arn:aws:sts::000000000000:assumed-role/rotation/fn'],
      ['3', '2026-12-01T00:00:00Z', 'current', 'arn:aws:sts::000000000000:assumed-role/rotation/fn'],
    ]);
    expect(output).not.toContain(VALUE);
    expect(ssm.commandCalls(GetParameterHistoryCommand).map((call) => call.args[0].input.WithDecryption)).toEqual([
      false,
      false,
    ]);
  });

  it('history names a missing parameter, and secrets takes only list or history <parameter>', async () => {
    ssm.on(GetParameterHistoryCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    await expect(run('secrets', 'history', '/nope')).rejects.toThrow(ParameterMissingError);
    await expect(run('secrets')).rejects.toThrow(UsageError);
    await expect(run('secrets', 'show', DB)).rejects.toThrow(UsageError);
    await expect(run('secrets', 'history')).rejects.toThrow(UsageError);
  });
});
