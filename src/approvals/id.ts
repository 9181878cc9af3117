import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A short approval id (8 characters, no look-alikes) derived from the release:
 * a retried approval task names the same approval. It is no secret: who may
 * decide is checked on every use.
 */
export function approvalIdFor(releaseId: string): string {
  const bytes = createHash('sha256').update(releaseId).digest();
  return Array.from(bytes.subarray(0, 8), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** The approval id of the question an inconclusive canary asks: one per analysis (a release may ask at several steps). */
export function canaryApprovalIdFor(releaseId: string, analysedUntil: string): string {
  return approvalIdFor(`${releaseId}#canary#${analysedUntil}`);
}

/** The id of a release's approval, or of its canary's question when there is one. */
export function approvalIdOf(releaseId: string, canary?: { analysedUntil: string }): string {
  return canary ? canaryApprovalIdFor(releaseId, canary.analysedUntil) : approvalIdFor(releaseId);
}

/** Whether `text` has the shape of an approval id (anything else is refused before any read). */
export function isApprovalId(text: string): boolean {
  return /^[a-z2-9]{8}$/.test(text);
}
