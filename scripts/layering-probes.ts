// The probes scripts/check-layering.ts writes: each a file that breaks exactly
// one layering rule of biome.json (or none, for the clean ones), and the folder
// it is written into.

export interface Probe {
  /** What the probe breaks, in a few words. */
  what: string;
  /** Folder, from the repository root, the probe is written into. */
  dir: string;
  source: string;
  /** The one diagnostic Biome must report; none for a clean probe. */
  expect?: { rule: string; message: string };
}

const NO_SDK = { rule: 'lint/style/noRestrictedImports', message: 'takes no SDK' };
const PORTS_ONLY = { rule: 'lint/style/noRestrictedImports', message: 'depends on ports only' };
const NO_SANDBOX = { rule: 'lint/style/noRestrictedImports', message: 'never imports the sandbox' };
const NO_ZOD_Z = { rule: 'lint/style/noRestrictedImports', message: 'the named `z`' };
const PLATFORM_BELOW = { rule: 'lint/style/noRestrictedImports', message: 'never imports a feature' };
const VIA_ENTRY = { rule: 'lint/style/noRestrictedImports', message: 'through its entry file' };
const CORE_VIA_INDEX = { rule: 'lint/style/noRestrictedImports', message: 'through its index.ts' };
const ADAPTER_VIA_ENTRY = {
  rule: 'lint/style/noRestrictedImports',
  message: 'an adapter imports another feature through',
};
const NO_ENV = { rule: 'lint/style/noProcessEnv', message: 'process.env' };

const importing = (name: string, from: string) =>
  `import { ${name} } from '${from}';\n\nexport const probe = ${name};\n`;

export const probes: Probe[] = [
  {
    what: 'a feature core imports an AWS SDK',
    dir: 'src/release',
    source: importing('ECSClient', '@aws-sdk/client-ecs'),
    expect: NO_SDK,
  },
  {
    what: 'a feature core imports its adapter',
    dir: 'src/release',
    source: importing('createEcsAdapter', './adapters/ecs.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: 'a feature core imports a handler',
    dir: 'src/canary',
    source: importing('handler', '../../functions/deploy/handler.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: 'a feature core imports the sandbox',
    dir: 'src/approvals',
    source: importing('startSandbox', '../../sandbox/index.ts'),
    expect: NO_SANDBOX,
  },
  {
    what: 'a feature core reads process.env',
    dir: 'src/rotation',
    source: 'export const region = process.env.AWS_REGION;\n',
    expect: NO_ENV,
  },
  {
    what: 'the insight core imports an AWS SDK',
    dir: 'src/insight',
    source: importing('DynamoDBClient', '@aws-sdk/client-dynamodb'),
    expect: NO_SDK,
  },
  {
    what: 'the insight core imports its adapter',
    dir: 'src/insight',
    source: importing('createDynamoLedgerStore', './adapters/ledger-store.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: 'an insight port imports an adapter',
    dir: 'src/insight/ports',
    source: importing('createDynamoLedgerStore', '../adapters/ledger-store.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: 'a feature core imports the insight core by a deep path',
    dir: 'src/slack',
    source: importing('fourKeys', '../insight/four-keys.ts'),
    expect: CORE_VIA_INDEX,
  },
  {
    what: 'the CLI imports the insight feature by a deep path',
    dir: 'src/cli',
    source: importing('fourKeys', '../insight/four-keys.ts'),
    expect: VIA_ENTRY,
  },
  { what: "a feature core imports zod's z", dir: 'src/github', source: importing('z', 'zod'), expect: NO_ZOD_Z },
  {
    what: 'a port imports an SDK',
    dir: 'src/release/ports',
    source: importing('WebClient', '@slack/web-api'),
    expect: NO_SDK,
  },
  {
    what: 'a port imports an adapter',
    dir: 'src/release/ports',
    source: importing('createEcsAdapter', '../adapters/ecs.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: 'a port imports the sandbox',
    dir: 'src/rotation/ports',
    source: importing('startSandbox', '../../sandbox/index.ts'),
    expect: NO_SANDBOX,
  },
  {
    what: 'a port reads process.env',
    dir: 'src/canary/ports',
    source: 'export const region = process.env.AWS_REGION;\n',
    expect: NO_ENV,
  },
  {
    what: 'an adapter imports the sandbox',
    dir: 'src/release/adapters',
    source: importing('startSandbox', '../../sandbox/index.ts'),
    expect: NO_SANDBOX,
  },
  {
    what: 'handler imports the sandbox',
    dir: 'functions/deploy',
    source: importing('startSandbox', '../../sandbox/index.ts'),
    expect: NO_SANDBOX,
  },
  {
    what: 'config imports the sandbox',
    dir: 'config',
    source: importing('startSandbox', '../sandbox/index.ts'),
    expect: NO_SANDBOX,
  },
  { what: "src imports zod's z", dir: 'src/slack/adapters', source: importing('z', 'zod'), expect: NO_ZOD_Z },
  { what: "handler imports zod's z", dir: 'functions/deploy', source: importing('z', 'zod'), expect: NO_ZOD_Z },
  { what: "script imports zod's z", dir: 'scripts', source: importing('z', 'zod'), expect: NO_ZOD_Z },
  {
    what: 'clean feature core (a port, zod as a namespace)',
    dir: 'src/release',
    source:
      "import * as z from 'zod';\nimport type { EcsPort } from './ports/ecs.ts';\n\nexport const probe = z.object({});\nexport type Probe = EcsPort;\n",
  },
  {
    what: 'clean adapter (an AWS SDK, zod as a namespace)',
    dir: 'src/release/adapters',
    source:
      "import { ECSClient } from '@aws-sdk/client-ecs';\nimport * as z from 'zod';\n\nexport const probe = [ECSClient, z];\n",
  },
  {
    what: 'the doctor core imports an AWS SDK',
    dir: 'src/doctor',
    source: importing('SSMClient', '@aws-sdk/client-ssm'),
    expect: NO_SDK,
  },
  {
    what: 'the doctor core imports its adapter',
    dir: 'src/doctor',
    source: importing('createEcrRepositories', './adapters/ecr-repositories.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: 'the CLI imports the doctor by a deep path',
    dir: 'src/cli',
    source: importing('runDoctor', '../doctor/run-doctor.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'another feature imports the doctor by a deep path',
    dir: 'src/slack',
    source: importing('runDoctor', '../doctor/run-doctor.ts'),
    expect: CORE_VIA_INDEX,
  },
  {
    what: 'shared platform code imports a feature',
    dir: 'src/platform',
    source: importing('planRelease', '../release/plan.ts'),
    expect: PLATFORM_BELOW,
  },
  {
    what: 'platform imports the sandbox',
    dir: 'src/platform',
    source: importing('startSandbox', '../../sandbox/index.ts'),
    expect: NO_SANDBOX,
  },
  {
    what: 'the Slack feature core imports the Slack SDK',
    dir: 'src/slack',
    source: importing('WebClient', '@slack/web-api'),
    expect: NO_SDK,
  },
  {
    what: 'a handler imports a feature by a deep path',
    dir: 'functions/deploy',
    source: importing('deployRelease', '../../src/release/deploy.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'a handler imports the platform by a deep path',
    dir: 'functions/deploy',
    source: importing('functionLogger', '../../src/platform/lambda.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'the sandbox imports a feature by a deep path',
    dir: 'sandbox',
    source: importing('createEcsAdapter', '../src/release/adapters/ecs.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'a script imports a feature by a deep path',
    dir: 'scripts',
    source: importing('parseCatalog', '../src/catalog/load.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'the CLI imports a feature by a deep path',
    dir: 'src/cli',
    source: importing('isImageTag', '../release/image-tag.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'the CLI imports the platform by a deep path',
    dir: 'src/cli',
    source: importing('sleep', '../platform/wait.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'config imports a feature by a deep path',
    dir: 'config',
    source: importing('loadCatalogFile', '../src/catalog/load.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'a feature core imports another feature by a deep path',
    dir: 'src/slack',
    source: importing('planRelease', '../release/plan.ts'),
    expect: CORE_VIA_INDEX,
  },
  {
    what: 'a port imports another feature by a deep path',
    dir: 'src/approvals/ports',
    source: importing('releaseRequestSchema', '../../release/schemas.ts'),
    expect: CORE_VIA_INDEX,
  },
  {
    what: "a feature core imports another feature's wiring entry",
    dir: 'src/slack',
    source: importing('wiredEcs', '../release/wiring.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: "an adapter imports another feature's adapter by a deep path",
    dir: 'src/slack/adapters',
    source: importing('createReleaseWorkflow', '../../release/adapters/release-workflow.ts'),
    expect: ADAPTER_VIA_ENTRY,
  },
  {
    what: 'clean handler (a feature and the platform through their entries)',
    dir: 'functions/deploy',
    source:
      "import { lambdaEntry } from '../../src/platform/wiring.ts';\nimport { deployRelease } from '../../src/release/index.ts';\nimport { wiredEcs } from '../../src/release/wiring.ts';\n\nexport const probe = [lambdaEntry, deployRelease, wiredEcs];\n",
  },
  {
    what: "clean feature core (another feature's index, the platform by path)",
    dir: 'src/slack',
    source:
      "import { parseEvent } from '../platform/parse-event.ts';\nimport { planRelease } from '../release/index.ts';\n\nexport const probe = [parseEvent, planRelease];\n",
  },
  {
    what: "clean adapter (another feature's wiring entry)",
    dir: 'src/slack/adapters',
    source: "import { wiredEcs } from '../../release/wiring.ts';\n\nexport const probe = wiredEcs;\n",
  },
  {
    what: 'clean platform module (an SDK)',
    dir: 'src/platform',
    source: "import { Logger } from '@aws-lambda-powertools/logger';\n\nexport const probe = Logger;\n",
  },
  {
    what: 'the dashboard core imports an AWS SDK',
    dir: 'src/dashboard',
    source: importing('CloudWatchClient', '@aws-sdk/client-cloudwatch'),
    expect: NO_SDK,
  },
  {
    what: 'a dashboard port imports its adapter',
    dir: 'src/dashboard/ports',
    source: importing('createAwsDashboardSource', '../adapters/aws-source.ts'),
    expect: PORTS_ONLY,
  },
  {
    what: 'the dashboard core reads process.env',
    dir: 'src/dashboard',
    source: 'export const region = process.env.AWS_REGION;\n',
    expect: NO_ENV,
  },
  {
    what: 'the CLI imports the dashboard by a deep path',
    dir: 'src/cli',
    source: importing('timeline', '../dashboard/view.ts'),
    expect: VIA_ENTRY,
  },
  {
    what: 'another feature core imports the dashboard by a deep path',
    dir: 'src/release',
    source: importing('timeline', '../dashboard/view.ts'),
    expect: CORE_VIA_INDEX,
  },
  {
    what: 'a dashboard adapter imports another feature by a deep path',
    dir: 'src/dashboard/adapters',
    source: importing('planRelease', '../../release/plan.ts'),
    expect: ADAPTER_VIA_ENTRY,
  },
  {
    what: 'shared platform code imports the dashboard',
    dir: 'src/platform',
    source: importing('timeline', '../dashboard/index.ts'),
    expect: PLATFORM_BELOW,
  },
  {
    what: "clean dashboard adapter (an AWS SDK, another feature's index)",
    dir: 'src/dashboard/adapters',
    source:
      "import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';\nimport type { ReleaseStore } from '../../release/index.ts';\n\nexport const probe = CloudWatchClient;\nexport type Probe = ReleaseStore;\n",
  },
];
