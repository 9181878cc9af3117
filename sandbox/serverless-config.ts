import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { processEnvironment } from '../src/platform/index.ts';

/** The project root (where serverless.yml lives). */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The parts of the resolved serverless.yml that the sandbox and tests read. */
export interface ServerlessConfig {
  service: string;
  provider: {
    environment?: Record<string, unknown>;
    region?: string;
    stage?: string;
    timeout?: number;
    memorySize?: number;
  };
  functions: Record<
    string,
    {
      handler: string;
      /** The deployed function name, `<service>-<stage>-<key>` unless serverless.yml names it. */
      name?: string;
      environment?: Record<string, unknown>;
      timeout?: number;
      memorySize?: number;
      events?: Record<string, unknown>[];
      /** A Lambda function URL (`url: true` or its settings); the sandbox serves it on loopback. */
      url?: boolean | Record<string, unknown>;
    }
  >;
  stepFunctions: {
    stateMachines: Record<
      string,
      {
        name: string;
        definition: unknown;
        events?: { eventBridge?: EventBridgeTrigger; schedule?: unknown }[];
      }
    >;
  };
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
}

/** A serverless-step-functions `eventBridge` trigger: a rule pattern and what the target receives. */
export interface EventBridgeTrigger {
  event: Record<string, unknown>;
  input?: unknown;
  inputPath?: string;
  inputTransformer?: unknown;
  eventBusName?: string;
}

let cached: Promise<ServerlessConfig> | undefined;

/**
 * serverless.yml as the framework resolves it (`serverless print`, offline):
 * variables and the catalog already applied, CloudFormation intrinsics left as
 * objects. Read once per process.
 */
export function readServerlessConfig(): Promise<ServerlessConfig> {
  cached ??= (async () => {
    const bin = fileURLToPath(new URL('../node_modules/osls/bin/serverless.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'print', '--format', 'json'], {
      cwd: projectRoot,
      env: { ...processEnvironment(), SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      maxBuffer: 32 * 1024 * 1024,
    });
    return JSON.parse(stdout) as ServerlessConfig;
  })();
  return cached;
}
