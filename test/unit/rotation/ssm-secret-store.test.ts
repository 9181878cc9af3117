import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  LabelParameterVersionCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createSsmSecretStore } from '../../../src/rotation/adapters/ssm-secret-store.ts';

const ssm = mockClient(SSMClient);
const store = createSsmSecretStore(new SSMClient({ region: 'us-east-1' }));
afterEach(() => ssm.reset());
afterAll(() => ssm.restore());

describe('SSM secret store', () => {
  it('reads a label or version through SSM selector syntax, decrypted; a missing one is undefined', async () => {
    ssm.on(GetParameterCommand, { Name: '/app/db:current', WithDecryption: true }).resolves({
      Parameter: { Name: '/app/db', Value: 'v', Version: 7 },
    });
    ssm
      .on(GetParameterCommand, { Name: '/app/db:3' })
      .rejects(
        Object.assign(new Error('Systems Manager could not find version 3'), { name: 'ParameterVersionNotFound' }),
      );
    ssm
      .on(GetParameterCommand, { Name: '/app/none' })
      .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    expect(await store.read('/app/db', { label: 'current' })).toEqual({ value: 'v', version: 7 });
    expect(await store.read('/app/db', { version: 3 })).toBeUndefined();
    expect(await store.read('/app/none')).toBeUndefined();
  });

  it('writes a SecureString version, and never rethrows the value in an error', async () => {
    ssm.on(PutParameterCommand).resolvesOnce({ Version: 4 });
    expect(await store.write('/app/db', 'hunter2-secret-value')).toBe(4);
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/app/db',
      Value: 'hunter2-secret-value',
      Type: 'SecureString',
      Overwrite: true,
    });
    ssm.on(PutParameterCommand).rejects(
      Object.assign(new Error("1 validation error detected: Value 'hunter2-secret-value' at 'value' failed"), {
        name: 'ValidationException',
      }),
    );
    const error = await store.write('/app/db', 'hunter2-secret-value').then(
      () => new Error('expected a rejection'),
      (caught: unknown) => caught as Error,
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("Value '[redacted]' at 'value'");
    expect(JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause) })).not.toContain(
      'hunter2',
    );
  });

  it('pages through the history without decrypting, oldest first, labels kept', async () => {
    ssm
      .on(GetParameterHistoryCommand)
      .resolvesOnce({
        Parameters: [
          { Version: 2, Labels: ['current'] },
          { Version: 1, Labels: ['previous'] },
        ],
        NextToken: 't',
      })
      .resolvesOnce({ Parameters: [{ Version: 3 }] });
    expect(await store.history('/app/db')).toEqual([
      { version: 1, labels: ['previous'] },
      { version: 2, labels: ['current'] },
      { version: 3, labels: [] },
    ]);
    const inputs = ssm.commandCalls(GetParameterHistoryCommand).map((call) => call.args[0].input);
    expect(inputs.every((input) => input.WithDecryption === undefined)).toBe(true);
    expect(inputs[1]?.NextToken).toBe('t');
  });

  it('fails loudly when SSM refuses a label', async () => {
    ssm.on(LabelParameterVersionCommand).resolves({ InvalidLabels: ['current'] });
    await expect(store.label('/app/db', 2, 'current')).rejects.toMatchObject({ name: 'RotationStateError' });
  });
});
