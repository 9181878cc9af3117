/** SDK v3 client configuration for a sandbox endpoint: any credentials, us-east-1. */
export function sdkConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}
