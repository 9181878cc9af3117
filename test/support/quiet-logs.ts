// Runs before every test file (jest.config.js `setupFiles`). The functions'
// Powertools logger prints nothing unless a test turns it on: a test that
// asserts on logs sets POWERTOOLS_LOG_LEVEL itself (or spies on the logger),
// and whoever wants to read them all runs `POWERTOOLS_LOG_LEVEL=DEBUG npm test`.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
