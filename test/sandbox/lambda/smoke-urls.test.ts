import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SmokeUrlConflictError, smokeUrlVariables } from '../../../sandbox/lambda/smoke-urls.ts';
import { catalogFilePath } from '../../../src/catalog/file.ts';

// The sandbox points the catalog's smoke checks at its own load balancers'
// ports, through the variables the catalog reads its URLs from.

const dir = mkdtempSync(join(tmpdir(), 'smoke-urls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const catalogWith = (smoke: string[], cluster = 'sandbox', service = 'web') => {
  const file = join(dir, `catalog-${++files}.yml`);
  const checks = smoke.map((url) => `          - url: ${url}\n`).join('');
  writeFileSync(
    file,
    `services:\n  web:\n    environments:\n      staging:\n        cluster: ${cluster}\n        service: ${service}\n` +
      `        container: web\n        repository: demo/web\n        slackChannel: "#releases"\n        smoke:\n${checks}`,
  );
  return file;
};

const web = { cluster: 'sandbox', service: 'web', url: 'http://127.0.0.1:8180' };

describe('smokeUrlVariables', () => {
  it("points the project's catalog's demo smoke check at the demo's load balancer", () => {
    expect(smokeUrlVariables(catalogFilePath({}), {}, [web])).toEqual({ WEB_STAGING_URL: 'http://127.0.0.1:8180/' });
  });

  it("points the canary demo's checks at its production and test listeners", () => {
    const shop = {
      cluster: 'sandbox',
      service: 'shop',
      url: 'http://127.0.0.1:8280',
      testUrl: 'http://127.0.0.1:8281',
    };
    expect(smokeUrlVariables(catalogFilePath({}), {}, [web, shop])).toEqual({
      WEB_STAGING_URL: 'http://127.0.0.1:8180/',
      SHOP_STAGING_URL: 'http://127.0.0.1:8280/',
      SHOP_STAGING_TEST_URL: 'http://127.0.0.1:8281/',
    });
    // Without a test listener, a test-listener check is left alone rather than sent to production.
    expect(smokeUrlVariables(catalogFilePath({}), {}, [{ ...shop, testUrl: undefined }])).toEqual({
      SHOP_STAGING_URL: 'http://127.0.0.1:8280/',
    });
  });

  it('keeps what follows the default origin, inside the variable or after it', () => {
    const file = catalogWith([
      '"${A_URL:-http://127.0.0.1:8080/health?deep=1}"',
      '"${B_URL:-http://localhost:8080}/ready"',
      '"${C_URL:-https://web.staging.example.com}"',
    ]);
    expect(smokeUrlVariables(file, {}, [web])).toEqual({
      A_URL: 'http://127.0.0.1:8180/health?deep=1',
      B_URL: 'http://127.0.0.1:8180',
      C_URL: 'http://127.0.0.1:8180',
    });
  });

  it('leaves a variable the environment sets, a URL without a leading variable, and services it runs no load balancer for', () => {
    const file = catalogWith(['"${A_URL:-http://127.0.0.1:8080/}"', 'http://127.0.0.1:8080/fixed']);
    expect(smokeUrlVariables(file, { A_URL: 'http://elsewhere/' }, [web])).toEqual({});
    expect(smokeUrlVariables(file, {}, [{ ...web, service: 'api' }])).toEqual({});
    expect(smokeUrlVariables(file, {}, [{ ...web, cluster: 'other' }])).toEqual({});
    expect(smokeUrlVariables(file, {}, [])).toEqual({});
  });

  it("matches the target's cluster and service after interpolation", () => {
    const file = catalogWith(['"${A_URL:-http://127.0.0.1:8080/}"'], '${WEB_CLUSTER:-staging}');
    expect(smokeUrlVariables(file, {}, [web])).toEqual({});
    expect(smokeUrlVariables(file, { WEB_CLUSTER: 'sandbox' }, [web])).toEqual({ A_URL: 'http://127.0.0.1:8180/' });
  });

  it('refuses one variable that two checks would need to hold two URLs', () => {
    const file = catalogWith(['"${A_URL:-http://127.0.0.1:8080/a}"', '"${A_URL:-http://127.0.0.1:8080/b}"']);
    expect(() => smokeUrlVariables(file, {}, [web])).toThrow(SmokeUrlConflictError);
  });
});
