// `npm run bench`: prints the project's size and speed figures against their
// budgets. Figures, not assertions: a busy machine makes them noisy, so they
// are read by people (and quoted in issue notes), never by a timed test. A
// release that ends wrong while measuring is a failure, though: exit 1.
import { benchBundles, printBundles } from './bench/bundles.ts';
import type { CanaryFigures } from './bench/canary.ts';
import { benchCanaryPeers, printCanaryPeers } from './bench/canary-peers.ts';
import { benchDashboard, printDashboard } from './bench/dashboard.ts';
import { benchRotation, printRotation } from './bench/rotation.ts';
import { benchSandbox, measureInChild, printSandbox } from './bench/sandbox.ts';
import { benchSlack, printSlack } from './bench/slack.ts';
import { printWaits, type WaitFigures } from './bench/waits.ts';

// `npm run bench -- waits`: issue 17's figures alone (transitions, invocations, cost, reaction per release kind).
if (process.argv.includes('waits')) {
  const waits = await measureInChild<WaitFigures>('waits');
  printWaits(waits, await measureInChild<CanaryFigures>('canary'));
  process.exit();
}

// `npm run bench -- dashboard`: the dashboard's first load alone.
if (process.argv.includes('dashboard')) {
  printDashboard(await benchDashboard());
  process.exit();
}

// `npm run bench -- canary-peers`: that section alone, for work on the canary judgement.
if (process.argv.includes('canary-peers')) {
  printCanaryPeers(await benchCanaryPeers());
  process.exit();
}

printBundles(await benchBundles());
// After the bundles: the cold start imports the slackCommand bundle they wrote.
printSlack(await benchSlack());
const sandbox = await benchSandbox();
printSandbox(sandbox);
printWaits(await measureInChild<WaitFigures>('waits'), sandbox.canary);
const rotation = await benchRotation();
printRotation(rotation);
printCanaryPeers(await benchCanaryPeers());
printDashboard(await benchDashboard());
const wrong = [
  ...sandbox.fanOut.failures,
  ...sandbox.reliability.scenarios.flatMap((s) => s.failures),
  ...sandbox.canary.releases.flatMap((r) => r.failures),
  ...rotation.failures,
];
if (wrong.length > 0) process.exitCode = 1;
