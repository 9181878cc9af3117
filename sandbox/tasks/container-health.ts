import { request } from 'node:http';
import type { Pacer } from '../ecs/pacing.ts';
import type { Task, TaskContainer } from './task.ts';

// Container health checks (a task definition's `healthCheck`). The sandbox
// cannot run the check's shell command, so it does what such commands nearly
// always do: an HTTP GET on the container, at the URL path the command names
// (`curl -f http://localhost:8080/health` → /health; /health when none).
// HEALTHY after one success; UNHEALTHY after `retries` consecutive failures
// once `startPeriod` is over, as the ECS agent counts them.

/** The URL path a health check command probes. */
export function healthCheckPath(command: readonly string[] | undefined): string {
  const text = (command ?? []).join(' ');
  const match = /https?:\/\/[^/\s'"]+(\/[^\s'"|;&]*)/.exec(text);
  return match?.[1] ?? '/health';
}

function probe(host: string, port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Starts checking every container of `task` that has a health check; returns a function that stops it. */
export function watchContainerHealth(task: Task, pacer: Pacer): () => void {
  const stops = task.containers.filter((c) => c.healthCheck && c.running).map((c) => watch(task, c, pacer));
  return () => {
    for (const stop of stops) stop();
  };
}

function watch(task: Task, container: TaskContainer, pacer: Pacer): () => void {
  const check = container.healthCheck ?? { command: undefined };
  const path = healthCheckPath(check.command);
  const retries = check.retries ?? 3;
  const graceUntil = Date.now() + pacer.ms(check.startPeriod ?? 0, 0);
  // Loopback answers in microseconds; the floor only keeps a busy test machine from failing healthy tasks.
  const timeoutMs = pacer.ms(check.timeout ?? 5, 1000);
  let failures = 0;
  let probing = false;
  const run = async () => {
    const port = container.running?.port;
    if (probing || port === undefined || task.stopping) return;
    probing = true;
    const ok = await probe(task.host, port, path, timeoutMs);
    probing = false;
    if (ok) {
      failures = 0;
      container.healthStatus = 'HEALTHY';
    } else if (Date.now() >= graceUntil && ++failures >= retries) {
      container.healthStatus = 'UNHEALTHY';
    }
    task.healthStatus = aggregate(task);
  };
  void run();
  return pacer.every(check.interval ?? 30, () => void run());
}

/** A task is UNHEALTHY if an essential container is, HEALTHY if all checked essential ones are. */
function aggregate(task: Task): Task['healthStatus'] {
  const essential = task.containers.filter((c) => c.essential && c.healthCheck);
  if (essential.some((c) => c.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  if (essential.length > 0 && essential.every((c) => c.healthStatus === 'HEALTHY')) return 'HEALTHY';
  return 'UNKNOWN';
}
