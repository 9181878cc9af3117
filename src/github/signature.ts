import { verify } from '@octokit/webhooks-methods';
import { hmacSha256Hex } from '../platform/hmac-signature.ts';

// GitHub's signature: the hex HMAC-SHA256 of the raw body behind `sha256=`.
// The webhook verifies it with GitHub's own library (@octokit/webhooks-methods,
// a constant-time compare); the CLI and the sandbox sign with the platform's
// HMAC, which Slack's signature shares.

// `sha256=` and the HMAC's 64 lower case hex digits, as GitHub sends it.
const SIGNATURE_HEADER = /^sha256=[0-9a-f]{64}$/;

/** Why a delivery's signature is refused, or undefined when it is GitHub's, made with `secret` over `body`. */
export async function gitHubSignatureProblem(
  secret: string,
  body: string,
  signature: string | undefined,
): Promise<string | undefined> {
  if (signature === undefined || signature === '') return 'no X-Hub-Signature-256 header';
  if (!SIGNATURE_HEADER.test(signature)) return 'X-Hub-Signature-256 is not sha256= and 64 hex digits';
  if (body === '') return 'no body to verify';
  return (await verify(secret, body, signature)) ? undefined : 'X-Hub-Signature-256 does not match the body';
}

/** The X-Hub-Signature-256 GitHub sends for `body` signed with `secret` (what the CLI and the sandbox sign with). */
export function gitHubSignature(secret: string, body: string): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}
