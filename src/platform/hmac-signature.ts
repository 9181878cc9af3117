import { createHmac, timingSafeEqual } from 'node:crypto';

// Both webhooks sign a request the same way: the hex HMAC-SHA256, with a shared
// secret, of the body exactly as sent (Slack prepends its timestamp), behind a
// scheme prefix (`sha256=` for GitHub, `v0=` for Slack). Each feature says what
// it signs and which headers carry it; this is the one place that computes and
// compares.

/** The hex HMAC-SHA256 of `content` with `secret`, as a signer sends it after its prefix. */
export function hmacSha256Hex(secret: string, content: string): string {
  return createHmac('sha256', secret).update(content).digest('hex');
}

/** Whether `given` is `prefix` and the HMAC of `content` with `secret`, compared in constant time. */
export function hmacSignatureMatches(secret: string, content: string, given: string, prefix: string): boolean {
  const expected = Buffer.from(`${prefix}${hmacSha256Hex(secret, content)}`, 'utf8');
  const actual = Buffer.from(given, 'utf8');
  // timingSafeEqual needs equal lengths; the length of a hex digest is no secret.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
