/** The parts of a SigV4 credential scope the endpoint routes by. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  /** The signing name, e.g. `monitoring` for CloudWatch, `states` for Step Functions. */
  service: string;
}

// AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/monitoring/aws4_request, SignedHeaders=..., Signature=...
const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/**
 * Reads the credential scope of a SigV4 Authorization header (or of a presigned
 * URL's X-Amz-Credential). The signature itself is not checked: the sandbox
 * accepts any credentials, but the scope says which service a Query request is for.
 */
export function credentialScope(authorization: string | undefined): CredentialScope | undefined {
  if (!authorization) return undefined;
  const match = CREDENTIAL.exec(authorization);
  if (!match) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = ''] = match;
  return { accessKeyId, date, region, service };
}

/** The scope of a presigned request (`X-Amz-Credential=AKID/date/region/service/aws4_request`). */
export function presignedScope(credential: string | null): CredentialScope | undefined {
  return credential ? credentialScope(`Credential=${credential}`) : undefined;
}
