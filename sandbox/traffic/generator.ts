import { Agent, request } from 'node:http';

// Demo traffic: a bounded loop that sends `ratePerSecond` GET requests to a
// load balancer on loopback, so that the ALB metrics the canary analysis
// reads exist, and counts the answers by status and by the revision that
// served them (the demo app's `x-demo-image` header). It never sends more
// than `maxInFlight` requests at once: a slow target slows the generator
// instead of piling up sockets.

export interface TrafficOptions {
  /** A loopback URL, e.g. the load balancer's `http://127.0.0.1:8080/`. */
  url: string;
  ratePerSecond: number;
  /** At most this many requests at once; default 50. */
  maxInFlight?: number;
  /** Keep every answer with its time (`counts().answers`), for tests and the bench; default false (a demo runs for hours). */
  recordAnswers?: boolean;
}

/** One answer the generator received. */
export interface TrafficAnswer {
  /** When the answer arrived (epoch ms). */
  at: number;
  image: string;
  status: string;
}

/** What the generator has seen so far. */
export interface TrafficCounts {
  sent: number;
  /** Answers by HTTP status (`"200"`, `"500"`, `"503"`); connection failures as `"error"`. */
  byStatus: Record<string, number>;
  /** Answers by image (`demo/shop:v2`), each split by status; answers without the header under `"none"`. */
  byImage: Record<string, Record<string, number>>;
  /** Ticks skipped because `maxInFlight` requests were still open. */
  skipped: number;
  /** When each image first and last answered (epoch ms): when a canary met production traffic, and when it stopped. */
  firstAnswerAt: Record<string, number>;
  lastAnswerAt: Record<string, number>;
  /** Every answer in order of arrival, with `recordAnswers` only. */
  answers?: TrafficAnswer[];
}

export interface Traffic {
  counts(): TrafficCounts;
  /** Stops sending and waits for the open requests; returns the final counts. */
  stop(): Promise<TrafficCounts>;
}

/** Thrown for options the generator refuses (a non-loopback URL, a rate out of range). */
export class TrafficOptionsError extends Error {
  override readonly name = 'TrafficOptionsError';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_RATE = 1000;
const TICK_MS = 50;

/** Starts sending `ratePerSecond` requests to `url` until stop(). */
export function startTraffic(options: TrafficOptions): Traffic {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
    throw new TrafficOptionsError(`traffic goes to loopback http URLs only, not ${options.url}`);
  }
  if (!(options.ratePerSecond > 0 && options.ratePerSecond <= MAX_RATE)) {
    throw new TrafficOptionsError(`ratePerSecond must be in (0, ${MAX_RATE}], got ${options.ratePerSecond}`);
  }
  const maxInFlight = options.maxInFlight ?? 50;
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  const counts: TrafficCounts = {
    sent: 0,
    byStatus: {},
    byImage: {},
    skipped: 0,
    firstAnswerAt: {},
    lastAnswerAt: {},
    ...(options.recordAnswers ? { answers: [] } : {}),
  };
  const open = new Set<Promise<void>>();
  const count = (status: string, image: string) => {
    counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
    const ofImage = counts.byImage[image] ?? {};
    ofImage[status] = (ofImage[status] ?? 0) + 1;
    counts.byImage[image] = ofImage;
    const at = Date.now();
    counts.firstAnswerAt[image] ??= at;
    counts.lastAnswerAt[image] = at;
    counts.answers?.push({ at, image, status });
  };
  const send = () =>
    new Promise<void>((resolve) => {
      const req = request(url, { agent }, (res) => {
        const image = res.headers['x-demo-image'];
        count(String(res.statusCode ?? 0), typeof image === 'string' ? image : 'none');
        res.resume();
        res.on('end', resolve);
        res.on('error', resolve);
      });
      req.setTimeout(10_000, () => req.destroy());
      req.on('error', () => {
        count('error', 'none');
        resolve();
      });
      req.end();
    });

  // Requests owed accumulate per tick, so the rate holds whatever the tick's jitter.
  const started = performance.now();
  const timer = setInterval(() => {
    const owed = Math.floor(((performance.now() - started) / 1000) * options.ratePerSecond) - counts.sent;
    for (let i = 0; i < owed; i++) {
      counts.sent++;
      if (open.size >= maxInFlight) {
        counts.skipped++;
        continue;
      }
      const pending = send().finally(() => open.delete(pending));
      open.add(pending);
    }
  }, TICK_MS);

  const snapshot = (): TrafficCounts => structuredClone(counts);
  let stopping: Promise<TrafficCounts> | undefined;
  return {
    counts: snapshot,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await Promise.all(open);
        agent.destroy();
        return snapshot();
      })();
      return stopping;
    },
  };
}
