import { startDemoApp } from '../demo-app/app.ts';
import type { ResolvedImage } from '../ecr/registry.ts';

// The container runtime: what "running an image" means in the sandbox. Every
// image from the sandbox's ECR runs the demo web app (sandbox/demo-app/),
// which reads its behaviour from the image's tag and names its repository in
// every answer, so any repository works for tests and benches.

export interface ContainerLaunch {
  taskId: string;
  containerName: string;
  image: ResolvedImage;
  environment: Record<string, string>;
  host: string;
}

export interface RunningContainer {
  /** The loopback port the container listens on (its host port). */
  readonly port: number;
  /** Stops the container as ECS does on SIGTERM; resolves with its exit code. */
  close(): Promise<number>;
}

export type ContainerStart =
  | { started: true; container: RunningContainer }
  | { started: false; exitCode: number; output: string };

export interface ContainerRuntime {
  start(launch: ContainerLaunch): Promise<ContainerStart>;
}

/** Runs every image as the demo app. */
export const demoAppRuntime: ContainerRuntime = {
  async start(launch) {
    const result = await startDemoApp({
      repository: launch.image.repositoryName,
      tag: launch.image.tag ?? 'untagged',
      digest: launch.image.digest,
      taskId: launch.taskId,
      host: launch.host,
      environment: launch.environment,
    });
    if (!result.started) return { started: false, exitCode: result.exitCode, output: result.output };
    return { started: true, container: { port: result.app.port, close: () => result.app.close() } };
  },
};
