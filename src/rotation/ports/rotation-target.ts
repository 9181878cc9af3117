/** Where a rotated value takes effect (a database role), driven by a rotation's set and test steps. */
export interface RotationTarget {
  /** Makes `value` valid at the target; doing it twice is the same as once. */
  set(value: string): Promise<void>;
  /** Proves `value` works at the target (a real login); rejects with RotationTestFailedError when it does not. */
  test(value: string): Promise<void>;
}
