import { fileURLToPath } from 'node:url';
import { CaBundleFileError, caBundleFiles } from '../../../src/catalog/ca-bundle-files.ts';
import { parseCatalog } from '../../../src/catalog/load.ts';

// The CA bundle files a catalog names are packaged with the rotation function
// (serverless.yml: `${self:custom.catalog.caBundleFiles}`); a missing one fails the build.

const catalogWith = (ca: string) =>
  parseCatalog(
    `services: {}
secrets:
  db:
    parameter: /app/db
    type: postgres-credentials
    schedule: rate(1 day)
    postgres: { host: db.example, database: shop, adminParameter: /db/admin, baseUser: shop, tls: { ca: ${ca} } }
`,
    'c.yml',
    {},
  );

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const filesOf = (ca: string) => caBundleFiles(catalogWith(ca), ROOT);

describe('CA bundle files', () => {
  it('lists relative files (from the project root) to package, and leaves parameters and absolute paths out', () => {
    expect(filesOf('{ file: ./package.json }')).toEqual(['package.json']);
    expect(filesOf('{ parameter: /db/ca }')).toEqual([]);
    expect(filesOf('{ file: /opt/certs/bundle.pem }')).toEqual([]);
  });

  it('refuses a missing file, or one outside the project', () => {
    expect(() => filesOf('{ file: certs/rds-global-bundle.pem }')).toThrow(
      new CaBundleFileError(
        'secrets.db.postgres.tls.ca.file: certs/rds-global-bundle.pem does not exist (for RDS: README, "Secret rotation", TLS)',
      ),
    );
    expect(() => filesOf('{ file: ../elsewhere.pem }')).toThrow(/is outside the project/);
  });
});
