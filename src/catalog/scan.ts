import * as z from 'zod';

// The catalog's `scan` block: how many findings of ECR's scan of an image an
// environment takes before plan refuses to release it. An environment without
// the block is not gated at all (as before the gate existed).

// The plan function's timeout is 30 s (serverless.yml): its wait for a scan in
// progress must leave it time to read ECS and answer.
export const MAX_SCAN_WAIT_SECONDS = 20;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** When an allow entry's `until` stops holding: a date holds through that whole day (UTC), an instant until then. */
export function allowExpiry(until: string): Date {
  return DATE.test(until) ? new Date(Date.parse(`${until}T00:00:00Z`) + 86_400_000) : new Date(until);
}

const untilSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (YYYY-MM-DD, allowed through that day, UTC) or an ISO 8601 instant with its offset',
});

/** A finding accepted until a date, and why: past `until` it counts again. */
export const scanAllowSchema = z.strictObject({
  // ECR's finding name: a CVE id for basic scanning, also GHSA-… or ALAS-… ids.
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { message: 'must be a finding id such as CVE-2024-3094' }),
  until: untilSchema,
  reason: z.string().trim().min(1, { message: 'must say why the finding is accepted' }),
});

const budget = z.number().int({ message: 'must be a whole number' }).min(0, { message: 'cannot be negative' });

/** An environment's scan gate: budgets of CRITICAL and HIGH findings, accepted findings, and whether hotfixes skip it. */
export const scanSchema = z
  .strictObject({
    maxCritical: budget.default(0),
    maxHigh: budget.default(0),
    allow: z.array(scanAllowSchema).default([]),
    // A `/release deploy --hotfix` may release an image over budget (the release record says so).
    hotfixBypass: z.boolean().default(false),
    // How long plan waits for a scan still IN_PROGRESS before refusing the image.
    waitSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_SCAN_WAIT_SECONDS, {
        message: `at most ${MAX_SCAN_WAIT_SECONDS} s: plan answers within its 30 s timeout`,
      })
      .default(10),
  })
  .superRefine((scan, context) => {
    const seen = new Set<string>();
    scan.allow.forEach(({ id }, index) => {
      if (seen.has(id))
        context.addIssue({ code: 'custom', path: ['allow', index, 'id'], message: `${id} is listed twice` });
      seen.add(id);
    });
  });

export type ScanPolicy = z.output<typeof scanSchema>;
export type ScanAllow = z.output<typeof scanAllowSchema>;

/** The gate in a few words, e.g. `scan gate: at most 0 CRITICAL, 0 HIGH; allows CVE-2026-10001 until 2027-01-31`. */
export function describeScanGate(scan: ScanPolicy): string {
  const allows = scan.allow.map(({ id, until }) => `${id} until ${until}`).join(', ');
  return `scan gate: at most ${scan.maxCritical} CRITICAL, ${scan.maxHigh} HIGH${allows ? `; allows ${allows}` : ''}${scan.hotfixBypass ? '; hotfixes bypass it' : ''}`;
}
