import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The build path itself: esbuild with the project's plugin, in a fresh Node
// process (the plugin reads RELEASE_CATALOG_FILE when it loads).
const root = fileURLToPath(new URL('../../../', import.meta.url));
const build = async (catalogFile: string, env: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-build-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    "import { runtimeCatalog } from '#catalog';\nconsole.log(JSON.stringify(runtimeCatalog({})));\n",
  );
  const script = `
    const esbuild = require('esbuild');
    esbuild.build({ entryPoints: [${JSON.stringify(entry)}], bundle: true, minify: true, write: false, format: 'esm', platform: 'node',
      logLevel: 'silent', plugins: require('./config/esbuild-plugins.cjs') })
      .then((r) => process.stdout.write(r.outputFiles[0].text))
      .catch((e) => { process.stderr.write(e.message); process.exit(1); });`;
  return promisify(execFile)(process.execPath, ['-e', script], {
    cwd: root,
    env: { ...process.env, ...env, RELEASE_CATALOG_FILE: catalogFile },
  });
};

const fixture = (name: string) => join(root, 'test/fixtures/catalog', name);

describe('catalog at build time', () => {
  it('inlines the validated, interpolated catalog into the bundle', async () => {
    const { stdout } = await build(fixture('missing-variable.yml'), { MISSING_CLUSTER: 'prod-cluster' });
    expect(stdout).toContain('cluster:"prod-cluster"');
    expect(stdout).toContain('stabilityDeadlineSeconds:900');
  });

  it('fails the build with the file, the path and the problem', async () => {
    const file = fixture('invalid.yml');
    await expect(build(file)).rejects.toMatchObject({
      stderr: expect.stringMatching(
        new RegExp(
          `invalid service catalog ${file}[\\s\\S]*services\\.web\\.environments\\.staging\\.repository: is not an ECR repository name`,
        ),
      ),
    });
  });

  it('fails the build on a variable the environment does not have', async () => {
    await expect(build(fixture('missing-variable.yml'))).rejects.toMatchObject({
      stderr: expect.stringContaining('staging.cluster: ${MISSING_CLUSTER} is not set'),
    });
  });
});
