import { GetParameterCommand, LabelParameterVersionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '../../sandbox/index.ts';
import { sdkConfig } from '../sandbox/support/clients.ts';
import { SECRETS_CATALOG, startSecretsSandbox } from '../support/bare-sandbox.ts';
import { releaseProcess } from './support/e2e.ts';

// `release secrets` and `release rotate` as real processes against a sandbox
// with its PostgreSQL (the fixture catalog's secrets): the seeded credential's
// versions and labels show, its values never do, and a parameter that is not
// a catalog secret is refused.

const DB = '/release-automation/sandbox/shop/db';
let sandbox: Sandbox;
let ssm: SSMClient;
const values: string[] = [];

beforeAll(async () => {
  sandbox = await startSecretsSandbox();
  ssm = new SSMClient(sdkConfig(sandbox.endpoint));
  // As a rotation leaves it: the seeded version labelled previous, a new one current.
  await ssm.send(new LabelParameterVersionCommand({ Name: DB, ParameterVersion: 1, Labels: ['previous'] }));
  await ssm.send(
    new PutParameterCommand({ Name: DB, Value: '{"username":"shop_b","password":"pw-2"}', Overwrite: true }),
  );
  await ssm.send(new LabelParameterVersionCommand({ Name: DB, ParameterVersion: 2, Labels: ['current'] }));
  for (const Name of [`${DB}:1`, `${DB}:2`]) {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name, WithDecryption: true }));
    values.push(JSON.parse(Parameter?.Value ?? '{}').password);
  }
}, 120_000);

afterAll(async () => {
  ssm?.destroy();
  await sandbox?.stop();
});

// The CLI reads the catalog the sandbox was given (the sandbox never sets the process's environment).
const releaseCli = (...args: string[]) =>
  releaseProcess([...args, '--endpoint-url', sandbox.endpoint], 60_000, {
    ...process.env,
    RELEASE_CATALOG_FILE: SECRETS_CATALOG,
  });

describe('release secrets, against the sandbox', () => {
  it("list shows the catalog's secrets with their latest version and labels, never a value", async () => {
    const { code, stdout } = await releaseCli('secrets', 'list');
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    expect(rows[1]).toEqual([DB, 'postgres-credentials', 'rate(30 days)', 'shop', '2', expect.any(String), 'current']);
    expect(rows[2]?.[4]).toBe('not in SSM');
    for (const value of values) expect(stdout).not.toContain(value);
  });

  it('history lists every version with its labels and who wrote it, never a value', async () => {
    const { code, stdout } = await releaseCli('secrets', 'history', DB);
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    expect(rows.map((row) => [row[0], row[2]])).toEqual([
      ['VERSION', 'LABELS'],
      ['1', 'previous'],
      ['2', 'current'],
    ]);
    expect(rows[1]?.[3]).toBe('arn:aws:iam::000000000000:user/sandbox');
    for (const value of values) expect(stdout).not.toContain(value);
  });
});

describe('release rotate, against the sandbox', () => {
  it('refuses a parameter that is not a catalog secret, naming the ones that are', async () => {
    const { code, stderr } = await releaseCli('rotate', '/release-automation/sandbox/none');
    expect(code).toBe(1);
    expect(stderr).toContain('UnknownSecretError: /release-automation/sandbox/none is not a secret in the catalog');
    expect(stderr).toContain(DB);
    const started = sandbox.stateMachines
      .stateMachines()
      .flatMap((machine) => sandbox.stateMachines.executionsOf(machine.arn));
    expect(started).toEqual([]);
  });
});
