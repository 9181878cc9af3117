import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

/** A running in-memory DynamoDB (dynalite) on loopback. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`: pass as the DynamoDB client's `endpoint`. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 on a free port; tables become ACTIVE as soon as they are created. */
export async function startDynalite(): Promise<LocalDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
