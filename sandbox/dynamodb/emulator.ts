// DynamoDB on the sandbox's endpoint (JSON 1.0, `DynamoDB_20120810`): every
// request goes on to an in-memory dynalite on a loopback port of its own, so
// clients reach DynamoDB at the same endpoint as every other service.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { AwsApiErrorWithFields } from '../aws/json-protocol.ts';
import type { AwsServiceEmulator } from '../aws/service.ts';

const TARGET_PREFIX = 'DynamoDB_20120810';

export interface LocalDynamoDb {
  /** dynalite's own endpoint (tests and table set-up may also talk to it directly). */
  readonly endpoint: string;
  readonly emulator: AwsServiceEmulator;
  close(): Promise<void>;
}

/** Starts an in-memory dynalite on 127.0.0.1 (tables ACTIVE at once) and the emulator that forwards to it. */
export async function startLocalDynamoDb(region: string): Promise<LocalDynamoDb> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const emulator: AwsServiceEmulator = {
    targetPrefix: TARGET_PREFIX,
    signingName: 'dynamodb',
    async handle(operation, input) {
      const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `${TARGET_PREFIX}.${operation}`,
          'x-amz-date': date,
          // dynalite checks that a SigV4 header is there, not what it signs.
          authorization: `AWS4-HMAC-SHA256 Credential=sandbox/${date.slice(0, 8)}/${region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0`,
        },
        body: JSON.stringify(input),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (response.ok) return body;
      // `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` → the bare code, other members kept.
      const { __type, message, Message, ...fields } = body;
      const code =
        String(__type ?? 'InternalServerError')
          .split('#')
          .pop() ?? 'InternalServerError';
      throw new AwsApiErrorWithFields(code, String(message ?? Message ?? ''), response.status, fields);
    },
  };

  return {
    endpoint,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
