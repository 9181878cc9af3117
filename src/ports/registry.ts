/** The container registry (ECR) as planning uses it. Throttling and 5xx failures reject with TransientError. */
export interface RegistryPort {
  /** The repository's URI, `<registry host>/<repository>`; rejects with ImageNotFoundError when it does not exist. */
  repositoryUri(repository: string): Promise<string>;
  /** The digest a tag points to, or undefined when the repository has no such tag. */
  digestOf(repository: string, tag: string): Promise<string | undefined>;
}
