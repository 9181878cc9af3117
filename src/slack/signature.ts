import { hmacSha256Hex, hmacSignatureMatches } from '../platform/hmac-signature.ts';

/** How far a request's timestamp may be from now, either way (Slack's own advice: 5 minutes). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The two headers Slack signs a request with. */
export interface SlackSignatureHeaders {
  timestamp?: string;
  signature?: string;
}

/** Why a request was not accepted as Slack's: said in the log, never to the caller. */
export type SignatureProblem = 'missing headers' | 'stale timestamp' | 'bad signature';

/**
 * Checks Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with
 * the signing secret, compared in constant time, the timestamp within ±300 s
 * of `now`. The body must be the bytes Slack sent, before any parsing.
 */
export function checkSlackSignature(
  rawBody: string,
  headers: SlackSignatureHeaders,
  signingSecret: string,
  now: Date,
): SignatureProblem | undefined {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return 'missing headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'stale timestamp';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'stale timestamp';
  return hmacSignatureMatches(signingSecret, signedContent(rawBody, timestamp), signature, 'v0=')
    ? undefined
    : 'bad signature';
}

/** The hex HMAC Slack sends as `v0=<hex>` (also what the sandbox signs with). */
export function slackSignature(rawBody: string, timestamp: string, signingSecret: string): string {
  return hmacSha256Hex(signingSecret, signedContent(rawBody, timestamp));
}

// What Slack signs: the version, the timestamp (so a replay is stale) and the body as sent.
function signedContent(rawBody: string, timestamp: string): string {
  return `v0:${timestamp}:${rawBody}`;
}
