import * as z from 'zod';

// A canary still short of data after its extended bake, whose policy says `onNoData: ask`: the second
// kind of approval. Approve continues the deployment, Reject rolls it back.

const text = z.string().min(1);

/** What the analysis found, as the question shows it: its reason, each metric's values, and where its window ended. */
export const canaryQuestionSchema = z.object({
  reason: text,
  metrics: z.array(z.object({ metric: text, verdict: text, reason: z.string() })),
  /** The analysis window's end: one question per analysis, so each has its own approval id. */
  analysedUntil: z.iso.datetime({ offset: true }),
});

/** An inconclusive canary put to a person: continue or roll back. */
export type CanaryQuestion = z.infer<typeof canaryQuestionSchema>;
