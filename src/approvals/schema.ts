import * as z from 'zod';
import { APPROVAL_VERDICTS } from '../release/index.ts';
import { canaryQuestionSchema } from './canary-question.ts';
import type { Approval } from './ports/approvals.ts';

// An approval as the approvals table holds it: the fields approvals read are
// checked; the stored request keeps whatever else it carried.

const text = z.string().min(1);
const instant = z.iso.datetime({ offset: true });

const storedApprovalSchema = z.object({
  approvalId: text,
  releaseId: text,
  executionId: text,
  request: z.looseObject({
    releaseId: text,
    target: z.looseObject({ service: text, environment: text, slackChannel: text }),
    image: z.looseObject({ repository: text, tag: text, digest: text }),
    trigger: z.looseObject({ source: text }),
    requestedBy: z.object({ name: text, slackUserId: text.optional() }).optional(),
  }),
  canary: canaryQuestionSchema.optional(),
  live: z
    .object({ releaseId: text, tag: text, digest: text, startedAt: instant, endedAt: instant.optional() })
    .optional(),
  status: z.enum(['PENDING', ...APPROVAL_VERDICTS]),
  createdAt: instant,
  expiresAt: instant,
  message: z.object({ channel: text, ts: text }).optional(),
  decidedBy: text.optional(),
  decidedAt: instant.optional(),
  reason: z.string().optional(),
});

/** Reads a stored approval without its token; undefined when the item is not one (a damaged item decides nothing). */
export function parseStoredApproval(item: Record<string, unknown>): Approval | undefined {
  const { taskToken: _token, expiration: _expiration, ...fields } = item;
  const parsed = storedApprovalSchema.safeParse(fields);
  // The request was a whole ReleaseRequest when stored; only the fields above are relied on.
  return parsed.success ? (parsed.data as unknown as Approval) : undefined;
}
