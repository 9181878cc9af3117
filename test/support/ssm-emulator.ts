import { SSMClient } from '@aws-sdk/client-ssm';
import { startAwsEndpoint } from '../../sandbox/aws/server.ts';
import { createSsmEmulator } from '../../sandbox/ssm/emulator.ts';
import { ParameterStore } from '../../sandbox/ssm/parameter-store.ts';

/** The sandbox's SSM emulator alone, on a free loopback port, and an SDK client for it. */
export interface SsmEmulator {
  url: string;
  client: SSMClient;
  stop(): Promise<void>;
}

/** Starts SSM as the sandbox emulates it (versions, labels, history, SecureString), over HTTP. */
export async function startSsmEmulator(): Promise<SsmEmulator> {
  const endpoint = await startAwsEndpoint({
    port: 0,
    emulators: [createSsmEmulator({ store: new ParameterStore(), region: 'us-east-1', accountId: '123456789012' })],
  });
  const client = new SSMClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    url: endpoint.url,
    client,
    async stop() {
      client.destroy();
      await endpoint.close();
    },
  };
}
