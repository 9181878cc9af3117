// Failure messages travel as Step Functions error causes into Slack and the
// release record: enough to act on, never a wall of text.
const MAX_MESSAGE = 2000;

/** Cuts a message to `max` characters (an error cause's length by default), marking the cut with `…`. */
export function bounded(text: string, max = MAX_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `Name: message` of a thrown value, for the reason a failure names. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
