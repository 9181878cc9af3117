// Run as a script by lifecycle.test.ts (outside Jest, which fails a test on
// any unhandled rejection): a function whose side work fails after it
// returned must not take the sandbox down, in Lambda or here.
import { startSandbox } from '../../../sandbox/index.ts';

const printed: string[] = [];
const sandbox = await startSandbox({
  port: 0,
  slackPort: 0,
  services: [],
  print: (line) => printed.push(line),
  handlers: {
    plan: async () => {
      void Promise.reject(new Error('stray rejection'));
      setTimeout(() => {
        throw new Error('stray exception');
      }, 1);
      return { releases: [], refusedTargets: [] };
    },
  },
});
const release = sandbox.stateMachines.byKey('release');
const execution = sandbox.stateMachines.start(release?.arn ?? '', '{"id":"stray"}');
await sandbox.settled(execution);
await new Promise((resolve) => setTimeout(resolve, 50));
await sandbox.stop();
console.log(JSON.stringify({ status: execution.status, printed }));
