// `npm run bench`: prints the project's size and speed figures against their
// budgets. Figures, not assertions: a busy machine makes them noisy, so they
// are read by people (and quoted in issue notes), never by a timed test.
import { benchBundles, printBundles } from './bench/bundles.ts';
import { benchSandbox, printSandbox } from './bench/sandbox.ts';

printBundles(await benchBundles());
printSandbox(await benchSandbox());
