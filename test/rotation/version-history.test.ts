import { GetParameterHistoryCommand, LabelParameterVersionCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { secretSchema } from '../../src/catalog/secrets.ts';
import { generateSecret } from '../../src/rotation/adapters/secret-generator.ts';
import { createSsmSecretStore } from '../../src/rotation/adapters/ssm-secret-store.ts';
import type { SecretStore } from '../../src/rotation/ports/secret-store.ts';
import { finishRotation } from '../../src/rotation/publish.ts';
import { pendingParameterName, type RotatingSecret } from '../../src/rotation/rotation.ts';
import { createPending } from '../../src/rotation/steps.ts';
import { type SsmEmulator, startSsmEmulator } from '../support/ssm-emulator.ts';

// SSM's 100-version limit, as the sandbox's emulator enforces it: a new write
// drops the oldest version, unless the oldest carries a label. And the KMS key
// each version is written under.

let ssm: SsmEmulator;
let store: SecretStore;
beforeAll(async () => {
  ssm = await startSsmEmulator();
  store = createSsmSecretStore(ssm.client);
});
afterAll(() => ssm?.stop());

const secretOn = (parameter: string): RotatingSecret => ({
  name: 'key',
  ...secretSchema.parse({ parameter, type: 'api-key', schedule: 'rate(1 day)' }),
});
const fill = async (parameter: string, versions: number) => {
  for (let i = 0; i < versions; i++) {
    await ssm.client.send(
      new PutParameterCommand({ Name: parameter, Value: `v${i}`, Type: 'SecureString', Overwrite: true }),
    );
  }
};
const rotateOnce = async (secret: RotatingSecret, rotationId: string) => {
  const request = { parameter: secret.parameter, rotationId };
  await createPending(request, secret, { store, generate: generateSecret, dependentsOnOlderValue: async () => [] });
  return finishRotation(request, { store });
};

describe('the 100-version limit', () => {
  it('rotates past 100 versions: only current and previous are labelled, so SSM drops the oldest', async () => {
    const secret = secretOn('/app/busy-key');
    await fill(secret.parameter, 99);
    for (let n = 1; n <= 3; n++) await rotateOnce(secret, `r${n}`);

    const history = await store.history(secret.parameter);
    expect(history).toHaveLength(100);
    expect(history[0]?.version).toBe(3);
    expect(history.filter((v) => v.labels.length > 0).map((v) => [v.version, v.labels])).toEqual([
      [101, ['previous']],
      [102, ['current']],
    ]);
  });

  it('stops before writing when a hand-made label holds the oldest of 100 versions, naming it', async () => {
    const secret = secretOn('/app/pinned-key');
    await fill(secret.parameter, 100);
    await ssm.client.send(
      new LabelParameterVersionCommand({ Name: secret.parameter, ParameterVersion: 1, Labels: ['pinned'] }),
    );

    await expect(rotateOnce(secret, 'blocked')).rejects.toMatchObject({
      name: 'ParameterHistoryFullError',
      message: expect.stringContaining('its oldest, version 1, carries the labels pinned'),
    });
    expect((await store.read(secret.parameter))?.version).toBe(100);
  });
});

describe("the secret's KMS key", () => {
  const keysOf = async (Name: string) =>
    ((await ssm.client.send(new GetParameterHistoryCommand({ Name }))).Parameters ?? []).map((v) => v.KeyId);

  it('writes the pending value and the published version under the key the secret is kept under', async () => {
    const secret = secretOn('/app/own-key');
    const KeyId = 'alias/app-secrets';
    await ssm.client.send(
      new PutParameterCommand({ Name: secret.parameter, Value: 'v0', Type: 'SecureString', KeyId }),
    );
    const request = { parameter: secret.parameter, rotationId: 'keyed' };

    await createPending(request, secret, { store, generate: generateSecret, dependentsOnOlderValue: async () => [] });
    // Not under aws/ssm, where SSM puts a SecureString written without KeyId.
    expect(await keysOf(pendingParameterName(secret.parameter))).toEqual([KeyId]);
    await finishRotation(request, { store });
    expect(await keysOf(secret.parameter)).toEqual([KeyId, KeyId]);
  });
});
