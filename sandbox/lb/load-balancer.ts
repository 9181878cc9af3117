import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlbMetrics } from './alb-metrics.ts';
import type { TargetGroup } from './target-group.ts';

// An Application Load Balancer with one listener on a loopback port: it
// forwards each request to a healthy target of its target group (round-robin;
// initial, unhealthy and draining targets get no traffic; 503 when there is
// none: the sandbox does not emulate ALB's fail-open), and records what
// CloudWatch would see. Weighted forwarding to several target groups is
// there for canary and blue/green strategies.

export interface LoadBalancerOptions {
  name: string;
  arn: string;
  /** `app/<name>/<id>`, the CloudWatch dimension value. */
  dimension: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  targetGroups: { group: TargetGroup; weight: number }[];
  metrics: AlbMetrics;
  /** How long a target may take to answer before the ALB gives up with 504 (real milliseconds). */
  idleTimeoutMs?: number;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

export class LoadBalancer {
  readonly name: string;
  readonly arn: string;
  readonly dimension: string;
  readonly #options: LoadBalancerOptions;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  #routes: { group: TargetGroup; weight: number }[];
  #server: Server | undefined;
  #port = 0;

  constructor(options: LoadBalancerOptions) {
    this.name = options.name;
    this.arn = options.arn;
    this.dimension = options.dimension;
    this.#options = options;
    this.#routes = options.targetGroups;
  }

  /** The listener's port (0 until listening). */
  get port(): number {
    return this.#port;
  }

  get targetGroups(): TargetGroup[] {
    return this.#routes.map((route) => route.group);
  }

  /** Sets how traffic splits between target groups (weights 0–999, as in a forward action). */
  setWeights(weights: { group: TargetGroup; weight: number }[]): void {
    this.#routes = weights;
  }

  async listen(): Promise<number> {
    const server = createServer((req, res) => this.#forward(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port, this.#options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this.#port;
  }

  #chooseGroup(): TargetGroup | undefined {
    const total = this.#routes.reduce((sum, route) => sum + route.weight, 0);
    let roll = Math.random() * total;
    for (const route of this.#routes) {
      roll -= route.weight;
      if (roll < 0) return route.group;
    }
    return this.#routes[0]?.group;
  }

  #forward(req: IncomingMessage, res: ServerResponse): void {
    const group = this.#chooseGroup();
    const target = group?.pick();
    const tgDimension = group?.dimension ?? '';
    // Each request ends once: with the target's answer, or with one ELB error.
    let answered = false;
    const elbError = (status: number, text: string, targetChosen: boolean) => {
      if (answered) {
        res.destroy();
        return;
      }
      answered = true;
      this.#options.metrics.record(this.dimension, tgDimension, { kind: 'elb', status, targetChosen });
      res.writeHead(status, { 'content-type': 'text/html', server: 'awselb/2.0' });
      res.end(`<html><body><center><h1>${status} ${text}</h1></center></body></html>\n`);
    };
    if (!target) {
      req.resume();
      elbError(503, 'Service Temporarily Unavailable', false);
      return;
    }

    const started = performance.now();
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(this.#port);
    const upstream = request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: this.#agent },
      (answer) => {
        if (answered) {
          answer.destroy();
          return;
        }
        answered = true;
        const status = answer.statusCode ?? 502;
        this.#options.metrics.record(this.dimension, tgDimension, {
          kind: 'target',
          status,
          latencySeconds: (performance.now() - started) / 1000,
        });
        const out: Record<string, string | string[]> = { 'x-sandbox-target': target.id };
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        }
        res.writeHead(status, out);
        answer.pipe(res);
      },
    );
    upstream.setTimeout(this.#options.idleTimeoutMs ?? 60_000, () => {
      upstream.destroy();
      elbError(504, 'Gateway Time-out', true);
    });
    upstream.on('error', () => elbError(502, 'Bad Gateway', true));
    req.pipe(upstream);
  }

  /** Stops listening and drops every connection, both sides. */
  async close(): Promise<void> {
    this.#agent.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
