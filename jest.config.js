// Jest runs the TypeScript sources as native ES modules (Middy is ESM-only):
// swc strips the types and keeps `import`, Node's VM modules do the rest.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
        module: { type: 'es6' },
      },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Function logs off unless a test asks for them: a run prints what the tests mean to show.
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  testTimeout: 30_000,
};
