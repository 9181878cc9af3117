// esbuild plugins for serverless-esbuild. `#catalog` becomes the catalog
// resolved and validated at build time, inlined as JSON into the bundle.
const { loadCatalog, catalogFile } = require('./build.cjs');

const catalogPlugin = {
  name: 'release-catalog',
  setup(build) {
    build.onResolve({ filter: /^#catalog$/ }, () => ({ path: catalogFile, namespace: 'release-catalog' }));
    build.onLoad({ filter: /.*/, namespace: 'release-catalog' }, () => {
      try {
        const catalog = loadCatalog();
        return {
          contents: `const catalog = ${JSON.stringify(catalog)};\nexport function runtimeCatalog() { return catalog; }`,
          loader: 'js',
          watchFiles: [catalogFile],
        };
      } catch (error) {
        return { errors: [{ text: error.message }] };
      }
    });
  },
};

// Lambda's credentials are always in its environment: see src/platform/lambda-credentials.ts.
const lambdaCredentialsPlugin = {
  name: 'lambda-credentials',
  setup(build) {
    const replacement = require('node:path').join(__dirname, '../src/platform/lambda-credentials.ts');
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: replacement }));
  },
};

module.exports = [catalogPlugin, lambdaCredentialsPlugin];
