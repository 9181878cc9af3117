import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ecsWorldStarter } from '../../../sandbox/ecs/starter.ts';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import type { StartedService } from '../../../sandbox/service-starter.ts';
import { secretValue } from '../../../sandbox/ssm/secret-value.ts';
import { sdkConfig } from '../support/clients.ts';

// The sandbox with its PostgreSQL on (the `postgres` option, as `npm start`
// has it): the server runs on a free port, the catalog's host and port
// variables point the functions at it, SSM holds the seeded credentials, and
// the ECS world's `shop` tasks get the credential as a container secret and
// use it on every request.

const CATALOG = new URL('../../fixtures/catalog/secrets.yml', import.meta.url).pathname;
const PARAMETER = '/release-automation/sandbox/shop/db';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    slackPort: 0,
    quiet: true,
    services: [],
    postgres: { port: 0 },
    environment: { RELEASE_CATALOG_FILE: CATALOG },
  });
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
});

describe('the sandbox with PostgreSQL', () => {
  it("points the catalog's database variables at the server and seeds the credential in SSM", async () => {
    const server = sandbox.databases?.server;
    expect(server?.port).toBeGreaterThan(0);
    expect(sandbox.environment).toMatchObject({ SHOP_DB_HOST: '127.0.0.1', SHOP_DB_PORT: String(server?.port) });
    const ssm = new SSMClient(sdkConfig(sandbox.endpoint));
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: PARAMETER, WithDecryption: true }));
    ssm.destroy();
    expect(JSON.parse(Parameter?.Value ?? '{}')).toMatchObject({ username: 'shop_a' });
    expect(sandbox.databases?.services.shop).toEqual({
      secrets: { DATABASE_CREDENTIAL: PARAMETER },
      environment: { DATABASE_HOST: '127.0.0.1', DATABASE_PORT: String(server?.port), DATABASE_NAME: 'shop' },
    });
  });

  it("runs the shop demo's tasks with the credential from SSM: requests log in, and fail once it stops working", async () => {
    const databases = sandbox.databases;
    if (!databases) throw new Error('no databases');
    let world: StartedService | undefined;
    try {
      world = await ecsWorldStarter({
        location: sandbox.location,
        timeFactor: 0.02,
        publishEvent: () => undefined,
        lbPorts: { web: 0, shop: 0 },
        demoTrafficPerSecond: 0,
        print: () => undefined,
        resolveSecret: async (valueFrom) => secretValue(sandbox.parameters, valueFrom),
        databases: databases.services,
      });
      const shop = world.loadBalancers?.find((lb) => lb.service === 'shop');
      if (!shop) throw new Error('the shop demo has no load balancer');
      for (let i = 0; i < 4; i++) expect((await fetch(shop.url)).status).toBe(200);
      const admin = await databases.server.connect();
      await admin.query(`ALTER ROLE shop_a PASSWORD ${admin.escapeLiteral('rotated-without-care')}`);
      await admin.end();
      expect((await fetch(shop.url)).status).toBe(500);
    } finally {
      await world?.close();
    }
  }, 60_000);
});
