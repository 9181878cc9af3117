// SSM Parameter Store as a rotation uses it: versions, labels and history of
// one parameter. Values are SecureStrings, read decrypted; history never
// carries values.

/** One kept version of a parameter and the labels on it (metadata only). */
export interface ParameterVersion {
  version: number;
  labels: string[];
  lastModified?: Date;
  /** The KMS key the version is encrypted under (a SecureString's; SSM names it as it was given). */
  keyId?: string;
}

/** A parameter's value at one version. */
export interface StoredSecret {
  value: string;
  version: number;
}

/** Which version `read` returns: the latest unless a label or version is named. */
export type VersionSelector = { label: string } | { version: number };

/** A parameter store's versions and labels; throttling and 5xx reject with TransientError. */
export interface SecretStore {
  /** The decrypted value of the latest (or the selected) version; undefined when the parameter or label does not exist. */
  read(name: string, selector?: VersionSelector): Promise<StoredSecret | undefined>;
  /**
   * Writes `value` as the parameter's new latest version (SecureString) and returns its number,
   * encrypted under `keyId` (SSM's default key, `aws/ssm`, when none is given).
   */
  write(name: string, value: string, options?: { keyId?: string }): Promise<number>;
  /** Every kept version, oldest first, with its labels. Empty when the parameter does not exist. */
  history(name: string): Promise<ParameterVersion[]>;
  /** Puts `label` on `version`, moving it from whichever version had it. */
  label(name: string, version: number, label: string): Promise<void>;
  /** Deletes the parameter and its history; nothing happens when it does not exist. */
  remove(name: string): Promise<void>;
}
