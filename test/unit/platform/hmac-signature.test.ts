import { describe, expect, it } from '@jest/globals';
import { gitHubSignature } from '../../../src/github/signature.ts';
import { hmacSha256Hex, hmacSignatureMatches } from '../../../src/platform/hmac-signature.ts';

// GitHub's documented test vector ("Validating webhook deliveries").
const SECRET = "It's a Secret to Everybody";
const BODY = 'Hello, World!';
const DIGEST = '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('hmac-signature', () => {
  it('computes the HMAC GitHub documents, and GitHub signs with it', () => {
    expect(hmacSha256Hex(SECRET, BODY)).toBe(DIGEST);
    expect(gitHubSignature(SECRET, BODY)).toBe(`sha256=${DIGEST}`);
  });

  it('accepts only the prefix and the digest of this content with this secret', () => {
    expect(hmacSignatureMatches(SECRET, BODY, `sha256=${DIGEST}`, 'sha256=')).toBe(true);
    expect(hmacSignatureMatches(SECRET, BODY, `v0=${DIGEST}`, 'sha256=')).toBe(false);
    expect(hmacSignatureMatches('another secret', BODY, `sha256=${DIGEST}`, 'sha256=')).toBe(false);
    expect(hmacSignatureMatches(SECRET, `${BODY} `, `sha256=${DIGEST}`, 'sha256=')).toBe(false);
    expect(hmacSignatureMatches(SECRET, BODY, `sha256=${DIGEST.toUpperCase()}`, 'sha256=')).toBe(false);
    // Shorter or longer than a digest: refused, not a RangeError from timingSafeEqual.
    expect(hmacSignatureMatches(SECRET, BODY, `sha256=${DIGEST.slice(1)}`, 'sha256=')).toBe(false);
    expect(hmacSignatureMatches(SECRET, BODY, `sha256=${DIGEST}0`, 'sha256=')).toBe(false);
  });
});
