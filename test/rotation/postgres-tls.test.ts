import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { makeServerTls, type ServerTls } from '../../sandbox/postgres/tls.ts';
import type { CaBundleSource, PostgresTargetConfig } from '../../src/catalog/secrets.ts';
import { readCaBundle } from '../../src/rotation/adapters/ca-bundle.ts';
import { createPostgresTarget } from '../../src/rotation/adapters/postgres-target.ts';

// What verify-full refuses before a password is sent, against a stand-in that
// speaks only the start of PostgreSQL's protocol: it answers the client's
// SSLRequest with "S" and a TLS handshake, or with "N" (no TLS). The real
// server's cases (TLS only, a certificate from another CA) are in
// postgres-rotation.test.ts.

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function standIn(tls: ServerTls | undefined): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    // The 8-byte SSLRequest.
    socket.once('data', () => {
      socket.write(tls ? 'S' : 'N');
      if (!tls) return;
      const secure = new TLSSocket(socket, { isServer: true, cert: tls.certificate, key: tls.key });
      secure.on('error', () => undefined);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const configOn = (port: number, ca: CaBundleSource = { parameter: '/db/ca' }): PostgresTargetConfig => ({
  host: '127.0.0.1',
  port,
  database: 'shop',
  adminParameter: '/db/admin',
  baseUser: 'shop',
  tls: { mode: 'verify-full', ca },
});
const admin = async () => ({ username: 'postgres', password: 'admin-password' });
const pending = JSON.stringify({ username: 'shop_b', password: 'new-password' });

describe('verify-full', () => {
  it('refuses a certificate its CA signed for another host name', async () => {
    const tls = makeServerTls(['db.internal']);
    const target = createPostgresTarget({
      config: configOn(await standIn(tls)),
      adminCredential: admin,
      caBundle: async () => tls.ca,
    });
    await expect(target.set(pending)).rejects.toMatchObject({
      name: 'RotationSetFailedError',
      message: expect.stringContaining("the server's TLS certificate was refused (ERR_TLS_CERT_ALTNAME_INVALID)"),
    });
    await expect(target.test(pending)).rejects.toMatchObject({
      name: 'RotationTestFailedError',
      message: expect.stringContaining('(ERR_TLS_CERT_ALTNAME_INVALID)'),
    });
  });

  it('refuses a server that does not offer TLS', async () => {
    const target = createPostgresTarget({
      config: configOn(await standIn(undefined)),
      adminCredential: admin,
      caBundle: async () => makeServerTls().ca,
    });
    await expect(target.set(pending)).rejects.toMatchObject({
      name: 'RotationSetFailedError',
      message: 'cannot log in to shop as its admin: the server does not offer TLS',
    });
  });

  it('with TLS disabled (a loopback host only), asks for no TLS and reads no CA bundle', async () => {
    const firstPackets: Buffer[] = [];
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (data) => {
        firstPackets.push(data);
        socket.destroy();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    let caRead = false;
    const target = createPostgresTarget({
      config: { ...configOn(address.port), tls: { mode: 'disable' } },
      adminCredential: admin,
      caBundle: async () => {
        caRead = true;
        return '';
      },
    });
    await expect(target.set(pending)).rejects.toMatchObject({ name: 'RotationSetFailedError' });
    expect(caRead).toBe(false);
    // A StartupMessage (protocol 3.0), not the SSLRequest code 80877103.
    expect(firstPackets[0]?.readInt32BE(4)).toBe(196_608);
  });

  it('names the CA bundle it cannot use: a missing file or parameter, a file with no certificate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ca-bundle-'));
    try {
      const notPem = join(dir, 'not.pem');
      await writeFile(notPem, 'this is not a certificate');
      const store = { read: async () => undefined };
      const setWith = (ca: CaBundleSource) =>
        createPostgresTarget({
          config: configOn(1, ca),
          adminCredential: admin,
          caBundle: (source) => readCaBundle(source, store),
        }).set(pending);
      await expect(setWith({ file: join(dir, 'missing.pem') })).rejects.toMatchObject({
        name: 'RotationSetFailedError',
        message: `cannot log in to shop as its admin: cannot read the CA bundle file ${join(dir, 'missing.pem')}: ENOENT`,
      });
      await expect(setWith({ parameter: '/db/ca' })).rejects.toMatchObject({
        message: expect.stringContaining(
          'cannot read the CA bundle parameter /db/ca: the parameter /db/ca does not exist',
        ),
      });
      await expect(setWith({ file: notPem })).rejects.toMatchObject({
        message: expect.stringContaining(`the CA bundle file ${notPem} holds no PEM certificate`),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
