// One line of the doctor's report.

/** A check and its outcome; `fix` says what to do when it failed (an `aws` command or a catalog line). */
export interface DoctorCheck {
  /** `stack`, `parameters`, or the catalog target `service/environment`. */
  target: string;
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** A passed check. */
export const passed = (target: string, check: string, detail: string): DoctorCheck => ({
  target,
  check,
  ok: true,
  detail,
});

/** A failed check with what to do about it. */
export const failed = (target: string, check: string, detail: string, fix: string): DoctorCheck => ({
  target,
  check,
  ok: false,
  detail,
  fix,
});
