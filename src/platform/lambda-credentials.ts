import { fromEnv } from '@aws-sdk/credential-provider-env';

// In Lambda the execution role's credentials are always in the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), where the SDK's
// default chain looks first. The Lambda bundles take this module in place of
// @aws-sdk/credential-provider-node (config/esbuild-plugins.cjs), leaving out
// the chain's STS, SSO and IMDS clients: about a quarter of each bundle and of
// its cold start. Node (sandbox, tests, CLI) keeps the full chain.

/** The SDK clients' default credential provider, for Lambda: the environment's. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
