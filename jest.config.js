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
  // Jest's default on a 2-core machine is one worker; most test time is waiting on sandboxes (bakes,
  // analyses at the sandbox's time factor), not CPU, so two overlap it: 11 min became about 7 here.
  maxWorkers: 2,
};
