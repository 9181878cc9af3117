import { verify } from '@octokit/webhooks-methods';

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
  // A constant-time comparison of the HMAC-SHA256 of the body (@octokit/webhooks-methods).
  return (await verify(secret, body, signature)) ? undefined : 'X-Hub-Signature-256 does not match the body';
}
