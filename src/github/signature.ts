import { hmacSha256Hex, hmacSignatureMatches } from '../platform/hmac-signature.ts';

// `sha256=` and the HMAC's 64 lower case hex digits, as GitHub sends it.
const SIGNATURE_HEADER = /^sha256=[0-9a-f]{64}$/;

/** Why a delivery's signature is refused, or undefined when it is GitHub's, made with `secret` over `body`. */
export function gitHubSignatureProblem(
  secret: string,
  body: string,
  signature: string | undefined,
): string | undefined {
  if (signature === undefined || signature === '') return 'no X-Hub-Signature-256 header';
  if (!SIGNATURE_HEADER.test(signature)) return 'X-Hub-Signature-256 is not sha256= and 64 hex digits';
  if (body === '') return 'no body to verify';
  return hmacSignatureMatches(secret, body, signature, 'sha256=')
    ? undefined
    : 'X-Hub-Signature-256 does not match the body';
}

/** The X-Hub-Signature-256 GitHub sends for `body` signed with `secret` (what the CLI and the sandbox sign with). */
export function gitHubSignature(secret: string, body: string): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}
