import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type PostgresServer, startPostgres } from '../../sandbox/postgres/server.ts';
import { secretSchema } from '../../src/catalog/secrets.ts';
import { readCaBundle } from '../../src/rotation/adapters/ca-bundle.ts';
import { createPostgresTarget } from '../../src/rotation/adapters/postgres-target.ts';
import { createDynamoRotationLock } from '../../src/rotation/adapters/rotation-lock.ts';
import { generateSecret } from '../../src/rotation/adapters/secret-generator.ts';
import { createSsmSecretStore } from '../../src/rotation/adapters/ssm-secret-store.ts';
import type { RotationLock } from '../../src/rotation/ports/rotation-lock.ts';
import type { RotationTarget } from '../../src/rotation/ports/rotation-target.ts';
import type { SecretGenerator } from '../../src/rotation/ports/secret-generator.ts';
import type { SecretStore } from '../../src/rotation/ports/secret-store.ts';
import { parseCredential, type RotatingSecret, type RotationRequest } from '../../src/rotation/rotation.ts';
import { startDynalite } from './dynalite.ts';
import { type SsmEmulator, startSsmEmulator } from './ssm-emulator.ts';

// A rotation's real surroundings without Step Functions: PostgreSQL from npm,
// SSM as the sandbox's emulator speaks it (over HTTP, through the SSM adapter),
// the lock in dynalite. Every generated value is recorded, so a test can look
// for it where it must never be.

export const PARAMETER = '/release-automation/test/shop/db';
export const ADMIN_PARAMETER = '/release-automation/test/postgres/admin';
export const CA_PARAMETER = '/release-automation/test/postgres/ca';
export const DATABASE = 'shop';

/** Everything a rotation step needs, real, and what the test inspects. */
export interface RotationWorld {
  postgres: PostgresServer;
  secret: RotatingSecret;
  store: SecretStore;
  lock: RotationLock;
  target: RotationTarget;
  generate: SecretGenerator;
  /** Every value `generate` has made, in order. */
  generated: string[];
  /** Every line PostgreSQL's server logged. */
  serverLog: string[];
  /** The SSM endpoint's URL (for SDK clients the test makes). */
  ssmEndpoint: string;
  stop(): Promise<void>;
}

const sdk = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

/** Starts the world (PostgreSQL takes a few seconds); call once per test file. */
export async function startRotationWorld(): Promise<RotationWorld> {
  const serverLog: string[] = [];
  // Every statement logged: a password sent in clear would show up there.
  // TLS only, as RDS can require it: a rotation that connects without TLS fails.
  const postgres = await startPostgres({
    port: 0,
    onLog: (line) => serverLog.push(line),
    flags: ['-c', 'log_statement=all'],
    requireTls: true,
  });
  let ssmEmulator: SsmEmulator | undefined;
  let dynamo: Awaited<ReturnType<typeof startDynalite>> | undefined;
  try {
    await postgres.createDatabase(DATABASE);
    ssmEmulator = await startSsmEmulator();
    const ssm = ssmEmulator.client;
    await ssm.send(
      new PutParameterCommand({ Name: ADMIN_PARAMETER, Type: 'SecureString', Value: JSON.stringify(postgres.admin) }),
    );
    await ssm.send(new PutParameterCommand({ Name: CA_PARAMETER, Type: 'String', Value: postgres.ca }));
    dynamo = await startDynalite();
    const dynamoClient = new DynamoDBClient(sdk(dynamo.endpoint));
    await dynamoClient.send(
      new CreateTableCommand({
        TableName: 'locks',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'lockKey', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'lockKey', KeyType: 'HASH' }],
      }),
    );
    const store = createSsmSecretStore(ssm);
    const secret: RotatingSecret = {
      name: 'shop-db',
      ...secretSchema.parse({
        parameter: PARAMETER,
        type: 'postgres-credentials',
        schedule: 'rate(30 days)',
        postgres: {
          host: postgres.host,
          port: postgres.port,
          database: DATABASE,
          adminParameter: ADMIN_PARAMETER,
          baseUser: 'shop',
          tls: { ca: { parameter: CA_PARAMETER } },
        },
      }),
    };
    const generated: string[] = [];
    const generate: SecretGenerator = (spec) => {
      const value = generateSecret(spec);
      generated.push(value);
      return value;
    };
    const postgresConfig = secret.postgres;
    if (!postgresConfig) throw new Error('the test secret has no postgres target');
    const target = createPostgresTarget({
      config: postgresConfig,
      adminCredential: async () => {
        const found = await store.read(ADMIN_PARAMETER);
        if (!found) throw new Error('no admin parameter');
        return parseCredential(found.value, 'the admin parameter');
      },
      caBundle: (source) => readCaBundle(source, store),
    });
    const emulator = ssmEmulator;
    const local = dynamo;
    return {
      postgres,
      secret,
      store,
      lock: createDynamoRotationLock({ client: DynamoDBDocumentClient.from(dynamoClient), locksTable: 'locks' }),
      target,
      generate,
      generated,
      serverLog,
      ssmEndpoint: emulator.url,
      async stop() {
        dynamoClient.destroy();
        await local.stop();
        await emulator.stop();
        await postgres.stop();
      },
    };
  } catch (error) {
    await dynamo?.stop();
    await ssmEmulator?.stop();
    await postgres.stop();
    throw error;
  }
}

/** A rotation request for the world's secret. */
export const rotationOf = (rotationId: string): RotationRequest => ({ parameter: PARAMETER, rotationId });
