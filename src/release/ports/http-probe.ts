/** One HTTP request of a smoke check. */
export interface ProbeRequest {
  url: string;
  method: 'GET' | 'HEAD';
  timeoutMs: number;
  /** Read the response body (only needed to match text in it). */
  readBody: boolean;
}

/** What one request got: a response, no response in time, or no connection. Latency is to the response headers. */
export type ProbeOutcome =
  | { kind: 'response'; status: number; body?: string; latencyMs: number }
  | { kind: 'timeout'; latencyMs: number }
  | { kind: 'error'; message: string; latencyMs: number };

/** Sends one HTTP request and reports what happened; never rejects. */
export interface HttpProbe {
  request(request: ProbeRequest): Promise<ProbeOutcome>;
}
