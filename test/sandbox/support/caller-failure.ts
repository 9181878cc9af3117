// Run as a script by lifecycle.test.ts: the script that started the sandbox
// fails (argv[2]: `throw` at the top level, `timer` throws in a timer,
// `reject` leaves a rejection unhandled). That must end the process with the
// error printed, as it would without a sandbox. First prints the ports it listens on.
import type { EcsWorld } from '../../../sandbox/ecs/index.ts';
import { startSandbox } from '../../../sandbox/index.ts';

const sandbox = await startSandbox({ port: 0, slackPort: 0, lbPorts: { web: 0 }, timeFactor: 0.02, quiet: true });
const world = sandbox.services[0]?.handle as EcsWorld;
const ports = [sandbox.port, Number(new URL(sandbox.slack.apiUrl).port), world.loadBalancerPort('web')];
console.log(JSON.stringify({ ports }));

const how = process.argv[2];
const failure = new Error(`the caller's own failure (${how})`);
if (how === 'throw') throw failure;
if (how === 'timer') {
  setTimeout(() => {
    throw failure;
  }, 1);
}
if (how === 'reject') void Promise.reject(failure);
